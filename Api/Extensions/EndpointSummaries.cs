using Microsoft.AspNetCore.OpenApi;

namespace SpotOptimizer.Api.Extensions;

/// <summary>
/// One line per endpoint for the OpenAPI document (and, through it, the README's API table). Kept in one place so a
/// route and its sentence are reviewed together; <c>ReadmeApiTableTests</c> fails for an endpoint without one.
/// </summary>
internal static class EndpointSummaries
{
    private static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
    {
        ["POST /api/auth/signup"] = "Sign up: organization + owner + placeholder account in one transaction (409 `email_taken`).",
        ["POST /api/auth/token"] = "Sign in with e-mail and password (401 `invalid_credentials`, the same for an unknown e-mail).",
        ["GET /api/auth/me"] = "Who the caller is, and where the UI should land (`/onboarding` until an account is active, then `/dashboard`).",
        ["POST /api/auth/logout"] = "Ends the caller's session: its tokens are refused from now on, on every instance.",
        ["POST /api/auth/refresh"] = "Trades a refresh token for a new access + refresh pair; a spent token presented again ends its whole session (401 `refresh_token_reused`).",
        ["POST /api/auth/password"] = "Changes the caller's password (403 `wrong_password`); every other session of the user ends.",
        ["POST /api/auth/password-reset"] = "E-mails a single-use reset link; 202 whatever the address (no account enumeration).",
        ["POST /api/auth/password-reset/confirm"] = "Sets a new password from a reset link (400 `invalid_reset_token`); every session of the user ends.",
        ["POST /api/auth/invitations/accept"] = "Accepts a team invitation: creates the user with the invited role and signs them in.",
        ["GET /api/team/members"] = "The organization's people and their roles (owner, member, read_only).",
        ["PATCH /api/team/members/{id}"] = "Owner: changes a member's role (409 `last_owner`); their sessions end.",
        ["DELETE /api/team/members/{id}"] = "Owner: removes a member and ends their sessions (409 `last_owner`).",
        ["GET /api/team/invitations"] = "Pending invitations.",
        ["POST /api/team/invitations"] = "Owner: invites a teammate with a role by e-mail (409 `email_taken`).",
        ["DELETE /api/team/invitations/{id}"] = "Owner: cancels a pending invitation.",
        ["POST /api/connect/link"] = "Starts linking an AWS account: an External ID and the CloudFormation quick-create link.",
        ["POST /api/connect/verify"] = "Verifies the customer's role (422 `role_not_found`, `external_id_mismatch`, `assume_role_denied`, `missing_permission:<action>`, `account_already_linked`); discovery starts.",
        ["GET /api/connect/accounts"] = "The organization's AWS accounts and their link status.",
        ["GET /api/connect/template"] = "The CloudFormation template of the customer's role (public).",
        ["GET /api/clusters/discover"] = "Clusters discovery found in an account and not yet managed (`?account_id=`).",
        ["POST /api/clusters/connect"] = "Manages a discovered cluster: a new agent token (shown once), its `helm_command` and `kubectl_command`, and the kubectl command's `manifest_url` (valid until `manifest_expires_at`).",
        ["GET /api/install/agent-manifest/{ticket}"] = "The agent's install as one manifest (YAML) for `kubectl apply -f`, from the link `POST /api/clusters/connect` issued (no session: the sealed link is the credential; 404 `manifest_link_invalid`, 403 `manifest_link_expired`, 404 `not_found` once the cluster is unmanaged).",
        ["GET /api/client/clusters"] = "The organization's managed clusters with their agent light and node counts.",
        ["GET /api/clusters/{id}/verify"] = "The agent's light: green within 60 s of a heartbeat, red otherwise.",
        ["DELETE /api/clusters/{id}/agent-token"] = "Revokes the cluster's agent token: its heartbeats get 401 at once.",
        ["POST /api/agent/heartbeat"] = "The agent's heartbeat (agent token): node and pod counts; answers the policy version.",
        ["POST /api/agent/inventory"] = "The agent's inventory (agent token): nodes, pods, workloads, usage; the cluster's node counts come from it; a heartbeat too (400 `validation_failed`, `duplicate_node`, `duplicate_instance`, `unknown_node`, `duplicate_pod`, `duplicate_workload`; 413 over 64 MiB).",
        ["POST /api/agent/interruptions"] = "The agent reports an interruption or rebalance notice on one of its cluster's Spot nodes (else 422 `unknown_instance`, audited; a node of the agent's inventory is known before discovery sees it). A claim: alone it flags the node's pool for this tenant's decisions only, for everyone with other tenants' claims or a price jump behind it (`flagged_for`, `flag_reason`); over the tenant's allowance in the region 429 `rate_limited` with `Retry-After`.",
        ["POST /api/clusters/{id}/optimize"] = "Starts an optimization job (202 `{job_id, already_running}`; 409 `cluster_not_managed`, `cluster_gone`, `cluster_asleep`).",
        ["GET /api/agent/commands"] = "The agent's commands (agent token): every pending command; `wait=N` (0..30 s) holds the request until one is queued (400 `invalid_wait`).",
        ["POST /api/agent/commands/{id}/result"] = "The agent reports a command's result (succeeded, failed, skipped); posting again returns the first (404 `unknown_command`).",
        ["POST /api/agent/safe-mode"] = "The agent reports entering or leaving safe mode, with why and what it did; after `entered` the platform queues `leave_safe_mode`.",
        ["GET /api/clusters/{id}/commands"] = "What the platform asked the cluster's agent to do (drain, cordon, Karpenter policy, leave safe mode) and each result, newest first (`limit` 1..200, default 50).",
        ["GET /api/clusters/{id}/jobs"] = "The cluster's 20 most recent jobs, newest first.",
        ["GET /api/clusters/{id}/recommendations"] = "Right-sizing: per workload, requests/limits from usage p95 CPU / p99 memory + 15 %, with reason code and monthly saving (negative for an increase); `status: no_inventory` until the agent reports. Nothing is applied.",
        ["GET /api/jobs/{jobId}"] = "One job: stage, the plan with every blocked node and its reason, each action with its log line, errors in plain words.",
        ["GET /api/spot/regions/{region}/flags"] = "The hive mind's Spot pools of a region flagged for every tenant, each with why (`aws_event`, `discovery_notice`, `distinct_tenants:N`, `price_jump:+P%`; no tenant named), and `own_flags`: those only the caller's own reports flagged.",
        ["GET /api/activity/live"] = "The organization's newest activity (`?limit=`).",
        ["GET /api/audit"] = "The audit ledger, newest first, with filters and a cursor.",
        ["GET /api/audit/export"] = "The audit ledger as CSV or JSON (`?format=`), with hashes.",
        ["GET /api/audit/verify"] = "Recomputes the organization's hash chain and reports the first broken entry, if any.",
        ["GET /api/audit/{id}/diff"] = "One ledger entry's before/after diff.",
        ["GET /api/commitments"] = "The Reserved Instances and Savings Plans the organization declared.",
        ["POST /api/commitments"] = "Declares a Reserved Instance, EC2 Instance Savings Plan or Compute Savings Plan; the optimizer leaves the On-Demand nodes it pays for alone.",
        ["DELETE /api/commitments/{id}"] = "Removes a declared commitment.",
        ["GET /api/metrics/kpi"] = "Spend, On-Demand equivalent, net savings realised, fleet composition, commitment use, headroom cost and hive-mind moves, each with its `basis` (`?cluster_id=` optional).",
        ["GET /api/metrics/projection"] = "12 monthly `{unoptimized, optimized}` amounts simulated on the cluster's inventory (Spot replacement, bin-packing, right-sizing), with the plan and assumptions (`?cluster_id=` required).",
        ["GET /api/templates"] = "The organization's node templates.",
        ["POST /api/templates"] = "Creates a node template (validated against the instance catalog).",
        ["POST /api/templates/validate"] = "Validates a template's families and architecture without saving it.",
        ["PATCH /api/templates/{id}/default"] = "Makes a template the organization's default.",
        ["DELETE /api/templates/{id}"] = "Deletes a template.",
        ["GET /api/policies/{clusterId}"] = "The cluster's optimization policy.",
        ["PATCH /api/policies/karpenter"] = "Turns Karpenter management on or off, with its strategy and template.",
        ["PATCH /api/policies/binpack"] = "Sets bin-packing aggressiveness (20–80 %).",
        ["PATCH /api/policies/fallback"] = "Allows or forbids falling back to On-Demand.",
        ["PATCH /api/policies/dry-run"] = "Puts one cluster in dry run: plans and audits, sends nothing.",
        ["PATCH /api/policies/exclusions"] = "Namespaces whose nodes the optimizer never touches.",
        ["PATCH /api/policies/headroom"] = "Sets the spare capacity the cluster keeps: CPU millicores, memory MiB and/or a share (0–0.5) of all pods' requests; all zero removes it.",
        ["GET /api/hibernation/{clusterId}"] = "The cluster's weekly sleep schedule, time zone, pre-warm and override.",
        ["POST /api/hibernation/schedule"] = "Saves the 168-slot weekly schedule (1 = awake).",
        ["PATCH /api/hibernation/tz"] = "Sets the schedule's IANA time zone.",
        ["PATCH /api/hibernation/prewarm"] = "Wakes the cluster ahead of its schedule so it is ready on time.",
        ["POST /api/hibernation/override"] = "Keeps a sleeping cluster awake for a while.",
        ["GET /api/admin/clients"] = "Super admin: every client organization with its accounts, clusters and status.",
        ["POST /api/admin/impersonate"] = "Super admin: a 30-minute token acting as a client's owner (audited as the admin).",
        ["GET /api/admin/health/workers"] = "Super admin: a light per background loop, silos and activations.",
        ["GET /api/admin/safe-mode"] = "Super admin: the runtime SAFE_MODE switch and the configured floor.",
        ["POST /api/admin/models/upload"] = "Super admin: uploads an interruption model (multipart `file`: ONNX or ML.NET zip; optional `name`, `version`, `training_from`, `training_to` as ISO 8601 dates); MOD-VAL-01 runs in a sandbox with CPU, memory, wall-clock and network limits, and only a passing model is stored (413 `model_too_large`; 422 `model_unreadable`, `model_contract_violation`, `model_crashed`, `model_timeout`; 409 `model_version_exists`).",
        ["GET /api/admin/models"] = "Super admin: the Lab's models, the built-in one first, each with its id, version, status (`production`, `previous`, `candidate`), training window, SHA-256, size, uploader and validation scores (the sandbox's report; the built-in model's held-out evaluation).",
        ["POST /api/lab/parallel"] = "Super admin: starts an A/B test of two models on two nodes of one of the admin's clusters (`{cluster_id, instance_a, model_a, instance_b, model_b, duration_minutes}`); each arm moves only its own node, through the executor (404 `instance_not_found`, `model_not_found`; 409 `instance_in_experiment`).",
        ["POST /api/lab/live-switch"] = "Super admin: the physical test on one node (`{cluster_id, instance_id, model}`): the model picks a Spot pool in the node's zone; stop, detach volumes, launch Spot, boot, reattach, through the executor and SAFE_MODE, rolled back on failure; steps stream on `/hubs/lab`.",
        ["GET /api/lab/experiments"] = "Super admin: every Lab experiment, newest first, with the nodes the running ones hold.",
        ["GET /api/lab/experiments/{id}"] = "Super admin: one experiment with its arms, verdict (significance test), whole series and steps (the seed's `/lab/stream/{id}`; live: `/hubs/lab`).",
        ["POST /api/lab/experiments/{id}/stop"] = "Super admin: ends a running A/B test after its current tick; its nodes stay where they are (audited).",
        ["GET /api/lab/production"] = "Super admin: the production interruption model (when and by whom promoted), what a rollback would bring back, the history of graduations and rollbacks, and what the answering instance serves right now (model, version, `loaded_at`, the last model it could not load).",
        ["POST /api/lab/graduate"] = "Super admin: promotes a registered model (`{\"model_id\": \"<id>\"}`, or `builtin`) to production after loading it and checking the contract's test vector; every silo swaps to it within seconds, no restart (audited `lab.model_graduated`; 404 `model_not_found`; 409 `model_already_production`; 422 `model_unloadable`).",
        ["POST /api/lab/rollback"] = "Super admin: one-click rollback to the model that was production before the current one (audited `lab.model_rolled_back`; 409 `nothing_to_roll_back`; 422 `model_unloadable`).",
        ["PATCH /api/admin/safe-mode"] = "Super admin: switches SAFE_MODE on every silo within seconds (audited; 409 `safe_mode_configured`).",
        ["DELETE /api/connect/accounts/{id}"] = "Unlinks an AWS account: its clusters are unmanaged, discovery stops, the role ARN and External ID are forgotten (`account.unlinked`).",
        ["GET /api/clusters/{id}"] = "One cluster of the organization, managed or only discovered.",
        ["DELETE /api/clusters/{id}"] = "Unmanages a cluster: its loops, running job (ends `cancelled`) and agent token stop; it can be connected again (409 `cluster_not_managed`).",
        ["GET /api/audit/retention"] = "The organization's audit retention (days, or null = forever).",
        ["PUT /api/audit/retention"] = "Sets audit retention (`{\"days\": 30–3650 or null}`): older entries are archived hourly behind a signed checkpoint.",
        ["GET /api/audit/archives"] = "Archives of ledger entries removed by retention.",
        ["GET /api/audit/archives/{id}"] = "One archive: the removed entries with their hashes (`X-Content-SHA256`).",
        ["GET /api/organization/export"] = "Everything the organization has with us as JSON, the ledger with hashes and checkpoints (verifiable offline).",
        ["DELETE /api/organization"] = "Deletes the organization (`{\"confirm\": \"<name>\"}`): unlinks every account, erases personal data; the ledger stays verifiable.",
        ["GET /api/notifications/rules"] = "Which events (job_failed, interruption_hit, safe_mode_entered, savings_report, agent_lost) go to which channels; secrets masked.",
        ["PUT /api/notifications/rules"] = "Replaces the whole rule set atomically (400 `validation_failed` naming `rules[i].field`); a new webhook signing secret is shown once.",
        ["GET /api/notifications/settings"] = "The organization's notification settings (the weekly report's IANA time zone).",
        ["PUT /api/notifications/settings"] = "Sets the organization's time zone (`{timezone}`, IANA; default UTC).",
        ["POST /api/notifications/signing-secret"] = "Rotates the webhook signing secret; the new one is shown once.",
        ["GET /api/notifications/deliveries"] = "Recent deliveries with every attempt: status code or error, duration, next retry (`?limit=` 1–200).",
        ["POST /api/notifications/test"] = "Sends a test event through every rule (202; 422 `no_rules`).",
        ["GET /api/reports/weekly"] = "WORK-RPT-01: spend, savings, actions and interruptions of an ISO week (`?week=2026-W48`; default the last complete week; 400 `invalid_week`).",
        ["GET /api/simulator/clusters/{id}/kubeconfig"] = "Simulator only: a kubeconfig (YAML) for the simulated cluster's Kubernetes API, which the platform serves under `/api/simulator/clusters/{id}/kubernetes`; point the agent at it with `--kubeconfig`.",
        ["GET /api/simulator"] = "Simulator only: says the cloud is the simulated AWS (404 on real AWS); the web UI offers the simulated console from it.",
        ["POST /api/simulator/stacks"] = "Simulator only: plays the customer deploying our CloudFormation stack in an AWS account.",
    };

    public static void AddTo(OpenApiOptions options)
    {
        // The Orleans Dashboard's own routes are a page for admins, not part of the API.
        options.ShouldInclude = description => description.RelativePath?.StartsWith("orleans", StringComparison.Ordinal) != true;
        options.AddOperationTransformer((operation, context, _) =>
        {
            var key = $"{context.Description.HttpMethod} /{context.Description.RelativePath?.TrimEnd('/')}";
            if (operation.Summary is null && Summaries.TryGetValue(key, out var summary)) operation.Summary = summary;
            return Task.CompletedTask;
        });
    }
}
