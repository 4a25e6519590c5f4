/**
 * The guest's linear memory: {@link io.phase.core.sandbox.memory.FlatMemory} (one array, one bounds
 * check, growth within the job's limit) and its raw-access path ({@link
 * io.phase.core.sandbox.memory.RawAccess}).
 */
package io.phase.core.sandbox.memory;
