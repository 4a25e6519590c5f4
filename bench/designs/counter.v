// An 8-bit up/down counter with synchronous reset, load and a terminal-count flag: a small
// design for bench/real-modules.sh (`read_verilog counter.v; synth -top counter; stat`).
module counter (
    input  wire       clk,
    input  wire       rst,
    input  wire       load,
    input  wire       up,
    input  wire [7:0] value,
    output reg  [7:0] count,
    output wire       terminal
);
  always @(posedge clk) begin
    if (rst)
      count <= 8'd0;
    else if (load)
      count <= value;
    else if (up)
      count <= count + 8'd1;
    else
      count <= count - 8'd1;
  end

  assign terminal = up ? (count == 8'hff) : (count == 8'h00);
endmodule
