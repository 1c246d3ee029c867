/**
 * JFR events of kcp.net ({@code docs/observability.md}): segment and message trace (off by default), session
 * lifecycle, periodic per-session statistics. Not exported: JFR registers events of a named module's internal
 * packages itself, and no user code needs the classes (recordings name events by {@code kcp.*}).
 */
package kcp.net.internal.jfr;
