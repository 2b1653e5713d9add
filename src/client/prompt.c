/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prompt: the terminal side of SSH tunnels for command-line use: confirm
 * an unknown host key and ask for a key's passphrase on /dev/tty, the
 * way ssh(1) does, and lend the terminal to an interactive exec
 * credential plugin.  Without a terminal the answer is no.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "client/client.h"

/* Unknown SSH host: ask on the terminal; no terminal means no. */
bool client_tty_hostkey(const char *host, const char *fp, void *arg)
{
	FILE *tty = fopen("/dev/tty", "r+");
	char answer[16] = "";

	(void)arg;
	if (!tty)
		return false;
	fprintf(tty, "The authenticity of host '%s' can't be established.\n"
		"Key fingerprint is %s.\nAre you sure you want to continue "
		"connecting (yes/no)? ", host, fp);
	fflush(tty);
	if (!fgets(answer, sizeof(answer), tty))
		answer[0] = '\0';
	fclose(tty);
	return !strcmp(answer, "yes\n");
}

int client_tty_passphrase(const char *key, char *buf, size_t n, void *arg)
{
	FILE *tty = fopen("/dev/tty", "r+");
	struct termios old, quiet;
	int rc = -1;

	(void)arg;
	if (!tty)
		return -1;
	fprintf(tty, "Enter passphrase for key '%s': ", key);
	fflush(tty);
	bool echo_off = tcgetattr(fileno(tty), &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	if (fgets(buf, (int)n, tty)) {
		buf[strcspn(buf, "\n")] = '\0';
		rc = 0;
	}
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	return rc;
}


int client_tty_lend(bool required, void (*run)(void *run_arg),
		    void *run_arg, void *arg)
{
	(void)required;
	(void)arg;
	if (!isatty(0))
		return -1;
	run(run_arg);
	return 0;
}
