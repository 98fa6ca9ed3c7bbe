using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Demo;

/// <summary>
/// The embedded default's demo tenant: signed up, its simulated AWS account linked and discovered, every cluster
/// connected, and the real agent running against every cluster's simulated Kubernetes API (<see cref="DemoAgents"/>) — so
/// a new user sees a live platform, with nodes and pods to optimize, on first start.
/// Runs only with the simulated cloud; production never seeds tenants.
/// </summary>
internal sealed partial class DemoTenant(
    IOptions<DemoOptions> options,
    IdentityStore identity,
    AccountDirectory accounts,
    IPasswordHasher<User> hasher,
    IGrainFactory grains,
    SimulatedCloud cloud,
    TimeProvider time,
    DemoAgents agents,
    ILogger<DemoTenant> logger) : BackgroundService
{
    private const string Actor = "system:demo";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var organizationId = await EnsureTenantAsync(stoppingToken);
        var clusters = await ConnectClustersAsync(organizationId, stoppingToken);
        LogReady(logger, options.Value.Email, clusters.Count);
        await agents.RunAsync(clusters, stoppingToken);
    }

    /// <returns>The demo organization, created on the first start.</returns>
    private async Task<string> EnsureTenantAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (await identity.FindByEmailAsync(demo.Email, cancellationToken) is { } existing) return existing.OrganizationId;

        var password = string.IsNullOrWhiteSpace(demo.Password) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) : demo.Password;
        SignupResult created;
        try
        {
            created = await identity.SignupAsync("Demo Co", demo.Email, hasher.HashPassword(null!, password), Roles.Client, cancellationToken);
        }
        catch (DuplicateException)
        {
            // Another instance sharing the database created it a moment ago: it links the account; this one uses it.
            return (await identity.FindByEmailAsync(demo.Email, cancellationToken))!.OrganizationId;
        }

        if (string.IsNullOrWhiteSpace(demo.Password)) LogGeneratedPassword(logger, demo.Email, password);

        var account = await accounts.GetOrCreatePendingAsync(created.Organization.Id, cancellationToken);
        var link = await grains.GetGrain<IAccountGrain>(account.Id).BeginLink(created.Organization.Id, Actor);
        var awsAccountId = SimulatedWorld.DemoAccountId;
        var role = cloud.DeployCustomerStack(awsAccountId, link.ExternalId);
        await grains.GetGrain<IAccountGrain>(account.Id).Verify(new VerifyLink(created.Organization.Id, Actor, awsAccountId, role.ToString()));
        return created.Organization.Id;
    }

    private async Task<List<DemoAgents.Cluster>> ConnectClustersAsync(string organizationId, CancellationToken cancellationToken)
    {
        var account = (await accounts.ListAsync(organizationId, cancellationToken)).Single();
        var grain = grains.GetGrain<IAccountGrain>(account.Id);
        while ((await grain.Get(organizationId))?.Status != AccountStatus.Active)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }

        // Agent tokens are stored hashed only, so each start issues the demo's agents fresh ones.
        var clusters = new List<DemoAgents.Cluster>();
        foreach (var cluster in await grain.GetDiscoveredClusters(organizationId) ?? [])
        {
            if (await grains.GetGrain<IClusterGrain>(cluster.ClusterId).Connect(organizationId, Actor) is not { } issued) continue;
            clusters.Add(new DemoAgents.Cluster(organizationId, issued.ClusterId, cluster.Name, cluster.Region, issued.Token));
        }

        return clusters;
    }

    [LoggerMessage(1, LogLevel.Warning, "Demo tenant created: sign in as {Email} with password {Password} (shown once; set Demo:Password to choose one)")]
    private static partial void LogGeneratedPassword(ILogger logger, string email, string password);

    [LoggerMessage(2, LogLevel.Information, "Demo tenant {Email} is live with {Agents} clusters")]
    private static partial void LogReady(ILogger logger, string email, int agents);
}
