namespace SpotOptimizer.Dashboard.Services;

// The parts of the public API's responses the UI shows (the API's snake_case JSON; unknown fields are ignored).

public sealed record TokenResponse(string JwtToken, string Role, string? OrgRole);

/// <summary>Sign-up answers with <c>token</c> (not sign-in's <c>jwt_token</c>).</summary>
public sealed record SignupResponse(string Token);

public sealed record Me(string Email, string Role, string? OrgRole, string? OrganizationName, string RedirectPath);

public sealed record Amount(decimal Value, string Unit, string Basis);

public sealed record Composition(int Spot, int OnDemand, int CoveredByCommitments);

public sealed record Kpi(Amount CurrentMonthlySpend, Amount OnDemandMonthlySpend, Amount NetSavingsRealised, Composition Composition);

public sealed record ClusterSummary(string ClusterId, string Name, string Region, bool Managed, int NodeCount, int SpotNodeCount, string? AgentStatus);

public sealed record ClusterList(IReadOnlyList<ClusterSummary> Clusters);

public sealed record LinkResponse(string AccountId, string ExternalId, string CloudformationUrl, string TemplateUrl);

public sealed record SimulatorInfo(bool Simulated, string Detail);

public sealed record ActivityEvent(long Seq, string Actor, string Action, string Resource, DateTimeOffset OccurredAt);

public sealed record ActivityPage(IReadOnlyList<ActivityEvent> Events);

public sealed record AccountSummary(string AccountId, string Status, string? AwsAccountId);

public sealed record AccountList(IReadOnlyList<AccountSummary> Accounts);

public sealed record DiscoveredCluster(string ClusterId, string Name, string Region, int NodeCount, bool Managed);

public sealed record DiscoveredClusters(IReadOnlyList<DiscoveredCluster> Clusters);

public sealed record ConnectResponse(string ClusterId, string AgentToken, string HelmCommand, string KubectlCommand, DateTimeOffset ManifestExpiresAt);

public sealed record JobStarted(string JobId, bool AlreadyRunning);

public sealed record JobView(string JobId, string Status, string Stage, string? Error);

public sealed record LedgerEntry(long Id, long Seq, string Actor, string? Impersonator, string Action, string Resource, DateTimeOffset OccurredAt, string Hash);

public sealed record AuditPage(IReadOnlyList<LedgerEntry> Entries, string? NextCursor);

public sealed record ChainVerdict(bool Intact, long EntriesChecked, long HeadSeq, string HeadHash, long? FirstBrokenSeq, string? Reason);

public sealed record AuditDiff(long Id, string Action, string Resource, IReadOnlyList<string> Summary);

public sealed record ClusterPolicy(bool KarpenterEnabled, string KarpenterStrategy, int BinpackAggressiveness, bool OnDemandFallback, IReadOnlyList<string> ExcludedNamespaces, bool DryRun);

public sealed record PolicyView(string ClusterId, int PolicyVersion, ClusterPolicy Policy);

public sealed record HibernationView(string ClusterId, IReadOnlyList<int>? ScheduleMatrix, string TimeZone, bool Prewarm, DateTimeOffset? OverrideUntil, string Power);

public sealed record ClientSummary(string ClientId, string Name, string? OwnerEmail, int LinkedAccounts, int ManagedClusters, string Status);

public sealed record ClientList(IReadOnlyList<ClientSummary> Clients);

public sealed record Impersonation(string Token, string ClientId, DateTimeOffset ExpiresAt);

public sealed record VerifyResponse(string AccountId, string Status, string Message);

public sealed record DiscoveryProgress(string AccountId, int Progress, int ClustersFound, string Stage);

public sealed record SimulatedStack(string RoleArn);

public sealed record NodeTemplate(string Id, string Name, IReadOnlyList<string> Families, IReadOnlyList<string> Architectures, string Strategy,
    int MinVcpu, int MaxVcpu, bool IsDefault, IReadOnlyList<string> UsedBy);

public sealed record TemplateList(IReadOnlyList<NodeTemplate> Templates);

/// <summary>A template finding; <c>blocking</c> ones mean the platform will refuse to save the template.</summary>
public sealed record TemplateWarning(string Code, string Family, string Message, bool Blocking);

public sealed record TemplateCheck(IReadOnlyList<TemplateWarning> Warnings);

public sealed record CreatedTemplate(NodeTemplate Template, IReadOnlyList<TemplateWarning> Warnings);

public sealed record PasswordChanged(bool Success, int SessionsRevoked);

public sealed record LinkedAccount(string AccountId, string Status, string? AwsAccountId, string? RoleArn, string? ErrorCode, string? ErrorMessage);

public sealed record LinkedAccounts(IReadOnlyList<LinkedAccount> Accounts);

public sealed record LoopHealth(string Loop, long FailedRuns, int RecentFailures, DateTimeOffset? LastFailureAt, string? LastErrorCode, string Status);

public sealed record WorkerHealth(string Status, int ActiveSilos, int Activations, IReadOnlyList<LoopHealth> Loops);

public sealed record SafeModeView(bool Enabled, bool Configured, bool SwitchedOn, DateTimeOffset? ChangedAt, string? ChangedBy, string? Reason);

public sealed record MonthAmount(DateTimeOffset MonthStart, double Amount);

public sealed record Projection(string ClusterId, IReadOnlyList<MonthAmount> Unoptimized, IReadOnlyList<MonthAmount> Optimized, string Basis);

public sealed record ModelTrial(string? FailedCheck, int Rows, double LoadMs, double ScoreMs, double? MeanProbability, double? MeanConfidence,
    IReadOnlyDictionary<string, int>? Actions);

/// <summary>The built-in model's held-out scores (it is validated by its loader, not the sandbox).</summary>
public sealed record ModelEvaluation(DateTimeOffset From, DateTimeOffset To, int Examples, double LogLoss, double Auc);

/// <summary>An upload's sandbox report, or the built-in model's evaluation.</summary>
public sealed record ModelValidation(ModelTrial? Report, double WallMs, bool NetworkIsolated, ModelEvaluation? Evaluation);

public sealed record TrainingWindow(DateTimeOffset? From, DateTimeOffset? To);

/// <param name="Status">production, previous (what a rollback brings back) or candidate.</param>
/// <param name="UploadedBy">Null for the built-in model.</param>
public sealed record RegisteredModel(string Id, string Name, string Version, string Format, string Status, string Sha256, long SizeBytes, string? UploadedBy,
    DateTimeOffset? UploadedAt, TrainingWindow? Training, ModelValidation Validation);

public sealed record ModelList(IReadOnlyList<RegisteredModel> Models);
