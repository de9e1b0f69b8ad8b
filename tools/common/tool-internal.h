/*
 * What the toolkit's files share among themselves; not for the programs.
 */
#ifndef TOOL_INTERNAL_H
#define TOOL_INTERNAL_H

/* tool.c: while held (calls nest), SIGINT, SIGTERM and SIGHUP only take
 * note; the last release delivers one that came meanwhile (the default
 * action: the process ends). */
void tool__hold_signals(void);
void tool__release_signals(void);

#endif /* TOOL_INTERNAL_H */
