package io.phase.cli;

/** Marks commands whose exit status is a guest's: their own failures exit with 124..141. */
interface GuestCommand {}
