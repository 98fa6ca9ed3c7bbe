using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Accounts;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Grains.Interfaces.Feeds;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Accounts;

public sealed partial class AccountGrain(
    [PersistentState("account")] IPersistentState<AccountState> state,
    ICloudProvider cloud,
    AccountDirectory directory,
    AuditLedger activity,
    IOptions<AccountDiscoveryOptions> options,
    TimeProvider time,
    LoopFailures failures,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain, IRemindable
{
    public const string DiscoveryReminder = "discovery";

    private CloudSession? _session;

    private AccountState S => state.State;

    public async Task<LinkIssued> BeginLink(string organizationId, string actor)
    {
        if (S.OrganizationId is { } owner && owner != organizationId) throw new InvalidOperationException("The account belongs to another organization.");
        if (S.Status is AccountStatus.Scanning or AccountStatus.Active) throw new InvalidOperationException("The account is already linked.");
        S.OrganizationId = organizationId;
        S.ExternalId = Guid.NewGuid().ToString("D");
        S.Status = AccountStatus.Pending;
        S.ErrorCode = S.ErrorMessage = null;
        await state.WriteStateAsync();
        await activity.RecordAsync(organizationId, actor, "account.link_started", Resource, null, CancellationToken.None);
        return new LinkIssued(this.GetPrimaryKeyString(), S.ExternalId);
    }

    public async Task<AccountView?> Verify(VerifyLink request)
    {
        if (S.OrganizationId != request.OrganizationId) return null;
        if (S.ExternalId is null) return await FailAsync(request.Actor, "link_not_started", "Create a link (and deploy its stack) before verifying.");
        if (!RoleArn.TryParse(request.RoleArn, out var arn)) return await FailAsync(request.Actor, CloudErrorCodes.InvalidRoleArn, "The role ARN is malformed.");
        if (arn.AccountId != request.AwsAccountId)
        {
            return await FailAsync(request.Actor, "account_mismatch", $"The role belongs to account {arn.AccountId}, not {request.AwsAccountId}.");
        }

        S.Status = AccountStatus.Verifying;
        S.AwsAccountId = request.AwsAccountId;
        S.RoleArn = request.RoleArn;
        await state.WriteStateAsync();
        try
        {
            var session = await AssumeAsync();
            var report = await cloud.Permissions.CheckAsync(session, options.Value.Regions[0]);
            if (report.MissingCodes.Count > 0)
            {
                return await FailAsync(request.Actor, report.MissingCodes[0], $"The role lacks: {string.Join(", ", report.Missing)}.");
            }

            await directory.BindAwsAccountAsync(request.OrganizationId, this.GetPrimaryKeyString(), request.AwsAccountId, CancellationToken.None);
        }
        catch (CloudException exception)
        {
            return await FailAsync(request.Actor, exception.Code, exception.Message);
        }
        catch (DuplicateException)
        {
            return await FailAsync(request.Actor, "account_already_linked", $"AWS account {request.AwsAccountId} is already linked.");
        }

        S.Status = AccountStatus.Scanning;
        S.ErrorCode = S.ErrorMessage = null;
        await state.WriteStateAsync();
        await activity.RecordAsync(request.OrganizationId, request.Actor, "account.verified", Resource,
            $$"""{"aws_account_id":"{{request.AwsAccountId}}"}""", CancellationToken.None);
        await this.RegisterOrUpdateReminder(DiscoveryReminder, options.Value.Period, options.Value.Period);
        // The first scan runs in its own turn right away, so the caller gets its answer (and can watch progress) now.
        this.RegisterGrainTimer(_ => DiscoverLoggingFailures(), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return View();
    }

    public Task<CloudAccess?> GetCloudAccess(string organizationId) =>
        Task.FromResult(S.OrganizationId == organizationId && S.Status is AccountStatus.Scanning or AccountStatus.Active && S.RoleArn is not null
            ? new CloudAccess(S.AwsAccountId!, S.RoleArn, S.ExternalId!, options.Value.SessionName)
            : null);

    public Task<AccountView?> Get(string organizationId) => Task.FromResult(S.OrganizationId == organizationId ? View() : null);

    public Task<IReadOnlyList<DiscoveredCluster>?> GetDiscoveredClusters(string organizationId) =>
        Task.FromResult<IReadOnlyList<DiscoveredCluster>?>(S.OrganizationId != organizationId
            ? null
            : [.. S.Clusters.Select(c => new DiscoveredCluster(c.ClusterId, c.Name, c.Region, c.Version, c.Status, c.NodeCount, Managed: false))]);

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == DiscoveryReminder ? DiscoverLoggingFailures() : Task.CompletedTask;

    private string Resource => $"account:{this.GetPrimaryKeyString()}";

    private async Task<AccountView> FailAsync(string actor, string code, string message)
    {
        S.Status = AccountStatus.Failed;
        S.ErrorCode = code;
        S.ErrorMessage = message;
        await state.WriteStateAsync();
        await activity.RecordAsync(S.OrganizationId!, actor, "account.verification_failed", Resource,
            $$"""{"code":"{{code}}"}""", CancellationToken.None);
        return View();
    }

    private async Task<CloudSession> AssumeAsync()
    {
        if (_session is { } current && !current.ExpiresWithin(TimeSpan.FromMinutes(5), time.GetUtcNow())) return current;
        _session = await cloud.AssumeRoleAsync(new RoleRequest(S.RoleArn!, S.ExternalId!, options.Value.SessionName));
        return _session;
    }

    private async Task DiscoverLoggingFailures()
    {
        try
        {
            await Discover();
        }
        catch (CloudException exception)
        {
            LogDiscoveryFailed(logger, exception, this.GetPrimaryKeyString(), exception.Code);
        }
    }

    private AccountView View() => new(
        this.GetPrimaryKeyString(), S.OrganizationId!, S.Status, S.AwsAccountId, S.RoleArn, S.ErrorCode, S.ErrorMessage,
        S.LastDiscoveryAt, S.Clusters.Count, S.InstanceIds.Count);

    [LoggerMessage(2, LogLevel.Information, "Interruption notices of account {Account} in {Region} are unavailable: {Code}")]
    private static partial void LogNoticesUnavailable(ILogger logger, Exception exception, string account, string region, string code);

    [LoggerMessage(1, LogLevel.Warning, "Discovery of account {Account} failed: {Code}")]
    private static partial void LogDiscoveryFailed(ILogger logger, Exception exception, string account, string code);
}
