/**
 * Signed execution receipts: the {@link io.phase.core.receipt.WasmResult}, its Ed25519-signed
 * envelope {@link io.phase.core.receipt.SignedReceipt}, the output commitment chain and transcript
 * that let a client replay what it received, and the strict {@link
 * io.phase.core.receipt.ReceiptVerifier}. See {@code docs/receipts.md}.
 */
package io.phase.core.receipt;
