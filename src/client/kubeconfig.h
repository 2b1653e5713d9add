/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubeconfig: load, merge and edit kubeconfig files the way kubectl does.
 *
 * Loading: an explicit file (--kubeconfig) is the only file used; else
 * every file of $KUBECONFIG (colon-separated, missing files skipped, empty
 * entries ignored); else ~/.kube/config.  Merging follows kubectl: for the
 * clusters/contexts/users maps the first file that defines a name wins;
 * current-context comes from the first file that sets it.  Unknown fields
 * are ignored.  Each entry remembers the file it came from, so edits go
 * back into that file (atomic rename, same mode, other content kept).
 *
 * A struct kc is plain data, not thread-safe; the client copies what it
 * needs (struct kc_config) when it starts.
 */
#ifndef KDECK_CLIENT_KUBECONFIG_H
#define KDECK_CLIENT_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

struct kc;

/* An exec credential plugin (users[].user.exec). */
struct kc_exec {
	char *api_version;	/* client.authentication.k8s.io/v1 or v1beta1 */
	char *command;
	char **args;		/* NULL-terminated */
	char **env;		/* NULL-terminated "NAME=value" */
	char *interactive_mode;	/* Never, IfAvailable, Always */
	bool provide_cluster_info;
};

/* Everything needed to talk to one context's server (all owned). */
struct kc_config {
	char *context;		/* context name ("" when none) */
	char *cluster_name;
	char *user_name;
	char *server;		/* https://host:port[/prefix] */
	char *namespace;	/* never NULL ("default") */
	char *tls_server_name;
	bool insecure;		/* insecure-skip-tls-verify */
	struct buf ca;		/* PEM bytes (file read or -data decoded) */
	struct buf cert;	/* client certificate PEM */
	struct buf key;		/* client key PEM */
	char *proxy_url;
	char *token;		/* static token */
	char *token_file;	/* tokenFile (re-read when it changes) */
	char *username;		/* basic auth */
	char *password;
	struct kc_exec *exec;	/* NULL when none */
	char *as;		/* impersonation */
	char **as_groups;	/* NULL-terminated or NULL */
	char *ssh;		/* extension kdeck.ssh: user@host[:port] */
	char *ssh_jump;
	char *ssh_identity;
	char *source_file;	/* the file that defined the context */
};

/*
 * Load per the rules above.  explicit_path may be NULL.  A missing
 * explicit file is ERR_NOT_FOUND naming it; bad YAML is ERR_PARSE naming
 * the file.  With no file at all, an empty kc is returned (kc_resolve then
 * fails with a clear message).  *out set on success; free with kc_free.
 */
int kc_load(const char *explicit_path, struct kc **out, struct err *e);
/* Same, from an already chosen list of paths (for tests). */
int kc_load_files(const char *const *paths, size_t n, bool must_exist,
		  struct kc **out, struct err *e);
void kc_free(struct kc *kc);

/* The merged current-context, or NULL. */
const char *kc_current_context(const struct kc *kc);
size_t kc_context_count(const struct kc *kc);
/* Name of the i-th context (merge order), or NULL past the end. */
const char *kc_context_name(const struct kc *kc, size_t i);
/* Namespace of a context ("" when unset), or NULL if no such context. */
const char *kc_context_namespace(const struct kc *kc, const char *ctx);

/*
 * Resolve a context (NULL: current-context) to a kc_config, reading
 * certificate/key/CA files and decoding -data fields.  Errors name the
 * file and field: `kubeconfig a.yaml: context "x": cluster "c" not found`,
 * `... users[u].client-certificate-data: bad base64`.  Caller frees with
 * kc_config_free.
 */
int kc_resolve(const struct kc *kc, const char *context,
	       struct kc_config **out, struct err *e);
void kc_config_free(struct kc_config *cfg);

/* `kubectl config use-context NAME`: written to the file that set
 * current-context (else the first file).  The context must exist. */
int kc_use_context(struct kc *kc, const char *name, struct err *e);
/* `kubectl config set-context CTX --namespace NS` (CTX NULL: current),
 * written into the file that defined the context. */
int kc_set_namespace(struct kc *kc, const char *ctx, const char *ns,
		     struct err *e);

#endif
