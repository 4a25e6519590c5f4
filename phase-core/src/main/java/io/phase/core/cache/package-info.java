/** Bounded in-memory caches shared by the sandbox and the worker. */
package io.phase.core.cache;
