using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests;

/// <summary>A signed-up organization whose simulated demo account is linked and discovered, through the grains.</summary>
public sealed record DemoCluster(string OrganizationId, string AccountId, DiscoveredCluster Cluster)
{
    /// <summary>Signs up, links the demo account of the silo's simulated cloud, discovers it; connects its first cluster when asked.</summary>
    public static async Task<DemoCluster> LinkAsync(TestSilo silo, bool connect)
    {
        var signup = await silo.Services.GetRequiredService<IdentityStore>().SignupAsync("Acme", "ops@acme.io", "hash", Roles.Client, default);
        var organizationId = signup.Organization.Id;
        var account = silo.Grains.GetGrain<IAccountGrain>(signup.PlaceholderAccount.Id);
        var link = await account.BeginLink(organizationId, "user:test");
        var role = silo.Services.GetRequiredService<SimulatedCloud>().DeployCustomerStack(SimulatedWorld.DemoAccountId, link.ExternalId);
        await account.Verify(new VerifyLink(organizationId, "user:test", SimulatedWorld.DemoAccountId, role.ToString()));
        await account.Discover();
        var cluster = (await account.GetDiscoveredClusters(organizationId))![0];
        if (connect) await silo.Grains.GetGrain<IClusterGrain>(cluster.ClusterId).Connect(organizationId, "user:test");
        return new DemoCluster(organizationId, signup.PlaceholderAccount.Id, cluster);
    }
}
