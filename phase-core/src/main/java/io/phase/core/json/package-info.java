/**
 * Reading untrusted JSON: the hardened parser ({@link io.phase.core.json.Json}) and strict readers
 * of fixed-shape objects ({@link io.phase.core.json.StrictFields}), shared by receipts, the job
 * protocols, worker details and saved client state.
 */
package io.phase.core.json;
