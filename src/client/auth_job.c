/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth_job: exec credential plugins off the I/O thread.
 *
 * A login plugin can take seconds (or as long as a user needs to type),
 * and the I/O thread serves every request and watch of its client, so it
 * never runs one.  When a request needs an exec credential that is not
 * cached (first use, past expirationTimestamp, dropped after a 401), the
 * I/O thread starts one struct auth_job and leaves the request queued;
 * more requests wait for the same run.  The job runs the plugin
 *
 *   - on the owner thread through the client's terminal hook
 *     (client_tty_cb), posted as an item that client_drain dispatches,
 *     when interactiveMode allows a terminal and the client has a hook
 *     (the dashboard's suspends curses, command-line tools use
 *     client_tty_lend), or
 *   - on a detached helper thread with stdin /dev/null otherwise, and
 *     when the hook declines an IfAvailable plugin,
 *
 * then marks itself done and wakes the multi handle; auth_collect
 * installs the credential (or records the failure for the waiting
 * requests, which complete with it).
 *
 * Lifetime: a job is shared by the I/O side (a->job) and its runner;
 * the last one to let go frees it.  A client freed while its plugin
 * runs abandons the job (SIGTERM to a plugin without the terminal): the
 * runner finishes alone, so client_free never waits for a plugin.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/xfer.h"
#include "common/mem.h"

struct auth_job {
	pthread_mutex_t mu;
	int refs;		/* the I/O side and the runner */
	bool done;
	bool required;		/* interactiveMode Always */
	CURLM *wake;		/* multi to wake when done; NULL: abandoned */
	pid_t pid;		/* running plugin without terminal, else 0 */
	struct auth_cmd cmd;
	struct buf out;
	int rc;
	struct err err;
};

static void auth_job_unref_locked(struct auth_job *j)
{
	bool last = --j->refs == 0;

	pthread_mutex_unlock(&j->mu);
	if (!last)
		return;
	pthread_mutex_destroy(&j->mu);
	auth_cmd_done(&j->cmd);
	buf_free(&j->out);
	free(j);
}

/* The runner's end: publish the result and let go. */
static void auth_job_finish(struct auth_job *j)
{
	pthread_mutex_lock(&j->mu);
	j->done = true;
	j->pid = 0;
	if (j->wake)
		curl_multi_wakeup(j->wake);
	auth_job_unref_locked(j);
}

/* Run the plugin to its end on this thread. */
static void auth_job_exec(struct auth_job *j, bool tty)
{
	pid_t pid;
	int fd;

	j->rc = auth_cmd_spawn(&j->cmd, tty, &pid, &fd, &j->err);
	if (j->rc < 0)
		return;
	if (!tty) {
		pthread_mutex_lock(&j->mu);
		j->pid = pid;
		pthread_mutex_unlock(&j->mu);
	}
	/* reading to EOF first: the pid is not reaped (so it stays valid
	 * for an abandoning kill) until collect's waitpid */
	j->rc = auth_cmd_collect(&j->cmd, pid, fd, &j->out, &j->err);
}

static void *auth_job_main(void *arg)
{
	struct auth_job *j = arg;

	auth_job_exec(j, false);
	auth_job_finish(j);
	return NULL;
}

/* Hand the runner's reference to a detached helper thread (the plugin's
 * stdin is /dev/null). */
static void auth_job_detach(struct auth_job *j)
{
	pthread_attr_t at;
	pthread_t t;

	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &at, auth_job_main, j) != 0) {
		j->rc = err_set(&j->err, ERR_INTERNAL, "exec plugin: cannot "
				"start a thread");
		auth_job_finish(j);
	}
	pthread_attr_destroy(&at);
}

/* Start the run of c's plugin; -1 when it cannot run at all. */
static int auth_job_start(struct client *c, struct err *e)
{
	struct client_auth *a = &c->auth;
	bool required, tty = auth_exec_wants_tty(c->cfg, &required) &&
			     c->tty_cb;
	struct auth_job *j;

	if (required && !tty)
		return err_set(e, ERR_UNAUTHORIZED, "%s", AUTH_NO_TTY);
	j = xcalloc(1, sizeof(*j));
	pthread_mutex_init(&j->mu, NULL);
	j->refs = 2;
	j->required = required;
	j->wake = c->multi;
	auth_cmd_init(&j->cmd, c->cfg);
	a->job = j;
	a->seq++;
	if (tty) {
		struct cev *ev = xcalloc(1, sizeof(*ev));
		ev->auth_job = j;
		client_post(c, ev);
	} else {
		auth_job_detach(j);
	}
	return 0;
}

enum auth_wait auth_token_async(struct client *c, unsigned *seq,
				const char **token, struct err *e)
{
	struct client_auth *a = &c->auth;

	*token = NULL;
	if (!c->cfg->exec)
		return auth_token(a, token, e) < 0 ? AUTH_FAILED : AUTH_READY;
	if (auth_exec_fresh(a)) {
		*token = a->exec_token;
		return AUTH_READY;
	}
	if (*seq && !a->job && a->failed_seq == *seq) {
		err_copy(e, &a->failed);
		return AUTH_FAILED;
	}
	if (!a->job && auth_adopt(c, a)) {	/* a stream's run */
		*token = a->exec_token;
		return AUTH_READY;
	}
	if (!a->job && auth_job_start(c, e) < 0)
		return AUTH_FAILED;
	*seq = a->seq;
	return AUTH_PENDING;
}

void auth_collect(struct client *c)
{
	struct client_auth *a = &c->auth;
	struct auth_job *j = a->job;
	bool done;

	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	done = j->done;
	pthread_mutex_unlock(&j->mu);
	if (!done)
		return;
	a->job = NULL;
	err_clear(&a->failed);
	if (j->rc < 0)
		err_copy(&a->failed, &j->err);
	else if (auth_exec_install(a, &j->out, &a->failed) == 0)
		auth_share(c, a);
	if (a->failed.code != ERR_OK)
		a->failed_seq = a->seq;
	pthread_mutex_lock(&j->mu);
	auth_job_unref_locked(j);
}

struct auth_tty_run {
	struct auth_job *job;
	bool ran;
};

static void auth_tty_run(void *arg)
{
	struct auth_tty_run *r = arg;

	if (r->ran)
		return;		/* the contract says once */
	r->ran = true;
	auth_job_exec(r->job, true);
}

void auth_job_tty(struct client *c, struct auth_job *j)
{
	struct auth_tty_run r = { j, false };

	if (c->tty_cb(j->required, auth_tty_run, &r, c->cb_arg) == 0 && r.ran) {
		auth_job_finish(j);
		return;
	}
	if (r.ran || j->required) {
		if (!r.ran)
			j->rc = err_set(&j->err, ERR_UNAUTHORIZED, "%s",
					isatty(0) ? AUTH_TTY_REFUSED :
					AUTH_NO_TTY);
		auth_job_finish(j);
		return;
	}
	/* declined IfAvailable: run without a terminal, off this thread */
	auth_job_detach(j);
}

void auth_job_drop(struct auth_job *j)
{
	j->rc = err_set(&j->err, ERR_UNAVAILABLE, "exec plugin: client closed");
	auth_job_finish(j);
}

void auth_abandon(struct client_auth *a)
{
	struct auth_job *j = a->job;

	if (!j)
		return;
	a->job = NULL;
	pthread_mutex_lock(&j->mu);
	j->wake = NULL;
	if (j->pid > 0)
		kill(j->pid, SIGTERM);
	auth_job_unref_locked(j);
}
