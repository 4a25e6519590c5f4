/**
 * Workspaces: the one safe walk of a host directory ({@link
 * io.phase.core.workspace.HostTreeWalker}), the workspace archive a remote job carries ({@link
 * io.phase.core.workspace.WorkspaceArchive}) and its hostile-input unpacker ({@link
 * io.phase.core.workspace.WorkspaceUnpacker}). Depends on nothing else in Phase.
 */
package io.phase.core.workspace;
