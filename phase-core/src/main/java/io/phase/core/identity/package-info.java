/** The node's long-lived Ed25519 identity and its on-disk key file. */
package io.phase.core.identity;
