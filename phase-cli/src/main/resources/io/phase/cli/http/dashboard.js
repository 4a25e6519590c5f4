// The Phase node dashboard: polls /api/state and renders it. Every value reaches the page through
// textContent or an attribute set with setAttribute on an element made here: nothing from the
// node or its peers is ever parsed as HTML.
"use strict";

const POLL_MS = 2000;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function short(id) {
  const s = String(id);
  return s.length > 20 ? s.slice(0, 8) + "…" + s.slice(-8) : s;
}

function mono(text, title) {
  const e = el("span", short(text), "mono");
  e.setAttribute("title", String(title === undefined ? text : title));
  return e;
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = Number(n), i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + " " + units[i];
}

function duration(ms) {
  const s = Number(ms) / 1000;
  if (s < 1) return Math.round(Number(ms)) + " ms";
  if (s < 120) return s.toFixed(1) + " s";
  if (s < 7200) return Math.round(s / 60) + " min";
  return (s / 3600).toFixed(1) + " h";
}

function fillGrid(dl, pairs) {
  dl.replaceChildren();
  for (const [k, v] of pairs) {
    dl.append(el("dt", k));
    const dd = el("dd");
    if (v instanceof Node) dd.append(v); else dd.textContent = String(v);
    dl.append(dd);
  }
}

function row(cells) {
  const tr = el("tr");
  for (const c of cells) {
    const td = el("td");
    if (c instanceof Node) td.append(c); else td.textContent = c === null || c === undefined ? "" : String(c);
    tr.append(td);
  }
  return tr;
}

function renderNode(n) {
  document.getElementById("version").textContent = n.version;
  const addrs = el("div");
  for (const a of n.addresses) addrs.append(el("div", a, "mono"));
  fillGrid(document.getElementById("node"), [
    ["Peer id", el("span", n.peer_id, "mono")],
    ["Addresses", addrs],
    ["Uptime", duration(n.uptime_s * 1000)],
    ["State", n.draining ? "draining (refusing new jobs)" : "accepting jobs"],
    ["Jobs", n.load.running_jobs + " running, " + n.load.queued_jobs + " queued, " + n.load.known_jobs + " listed"],
    ["Guest memory", n.load.reserved_memory_mb + " MiB reserved of " + n.limits.max_memory_total_mb + " MiB"],
    ["DHT routing table", n.dht.routing_table_size + " peers"],
    ["Network", n.network.inbound_connections + " in / " + n.network.outbound_connections + " out, " +
      bytes(n.network.bytes_in) + " received, " + bytes(n.network.bytes_out) + " sent"],
  ]);
  const l = n.limits;
  fillGrid(document.getElementById("limits"), [
    ["Arch / runtime", l.arch + " / " + l.runtime],
    ["Jobs at once / queue", l.max_jobs + " / " + l.max_queue],
    ["Memory per job", l.max_memory_mb + " MiB"],
    ["Longest job", l.max_timeout_s + " s"],
    ["Output per job", bytes(l.max_output_bytes)],
    ["Largest module", bytes(l.max_module_bytes)],
    ["Submitters", l.open_to_all ? "open to all" : "allow-list"],
    ["Connections", l.max_connections + " (" + l.max_connections_per_peer + " per peer)"],
  ]);
}

function renderPeers(p) {
  const wb = document.querySelector("#workers tbody");
  wb.replaceChildren();
  document.getElementById("workers-at").textContent =
    p.workers_found_at ? "(searched " + new Date(p.workers_found_at).toLocaleTimeString() + ")" : "(searching…)";
  for (const w of p.workers) {
    const i = w.info;
    const addrs = el("div");
    for (const a of w.addresses) addrs.append(el("div", a, "mono"));
    const peer = el("div");
    peer.append(mono(w.peer_id));
    if (w.self) peer.append(el("span", " (this node)", "dim"));
    peer.append(el("div", "signature " + w.signature, w.signature === "verified" ? "ok" : "bad"));
    wb.append(row([
      peer, i.arch, i.cpu_cores, i.memory_mb + " MiB",
      i.runtime_name + " " + i.runtime_version,
      i.max_job_memory_mb + " MiB, " + Math.round(i.max_job_timeout_ms / 1000) + " s",
      i.running_jobs + " running, " + i.queued_jobs + " queued", addrs,
    ]));
  }
  if (p.workers.length === 0) wb.append(row([el("span", "none found yet", "dim")]));
  const cb = document.querySelector("#connections tbody");
  cb.replaceChildren();
  document.getElementById("connection-count").textContent = "(" + p.connection_count + ")";
  for (const c of p.connections) {
    cb.append(row([mono(c.peer_id), c.direction, el("span", c.address, "mono"),
      c.agent_version === null ? "" : c.agent_version, c.streams,
      new Date(c.opened_at).toLocaleTimeString()]));
  }
}

function renderJobs(j) {
  const tb = document.querySelector("#jobs tbody");
  tb.replaceChildren();
  for (const job of j.jobs) {
    let receipt = el("span", "—", "dim");
    if (job.receipt) {
      receipt = el("span");
      const a = el("a", "download");
      a.setAttribute("href", job.receipt.url);
      a.setAttribute("download", "");
      receipt.append(a, " ");
      const ok = job.receipt.verification === "ok";
      const v = el("span", ok ? "signature verified" : "verification failed: " + job.receipt.verification, ok ? "ok" : "bad");
      v.className += " receipt-verification";
      receipt.append(v);
    }
    const state = el("span", job.state, job.state === "running" ? "running" : "");
    const tr = row([mono(job.job_id), mono(job.submitter), mono(job.module_hash), state,
      duration(job.duration_ms), job.outcome === null ? "" : job.outcome, receipt]);
    tr.className = "job";
    tr.setAttribute("data-job-id", job.job_id);
    tb.append(tr);
  }
  if (j.jobs.length === 0) tb.append(row([el("span", "no jobs yet", "dim")]));
}

async function poll() {
  const status = document.getElementById("status");
  try {
    const r = await fetch("/api/state", { cache: "no-store", credentials: "same-origin" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    const s = await r.json();
    renderNode(s.node);
    renderPeers(s.peers);
    renderJobs(s.jobs);
    status.textContent = "updated " + new Date().toLocaleTimeString();
    status.className = "dim";
    document.body.setAttribute("data-loaded", "true");
  } catch (e) {
    status.textContent = "cannot reach the node: " + e.message;
    status.className = "bad";
  }
}

poll();
setInterval(poll, POLL_MS);
