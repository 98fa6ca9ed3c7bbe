using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.Tests;

/// <summary>The agent's settings as an operator gives them: command-line flags, configuration keys, refusals at start.</summary>
public sealed class AgentHostTests
{
    [Fact]
    public void Create_FlagsAndKeys_BoundToTheOptions()
    {
        using var host = AgentHost.Create(["--api-url", "https://app.example.com", "--token", "soa_abc", "--kubeconfig", "cluster.yaml", "--Agent:ReportInterval", "00:00:05"]);
        var options = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal((new Uri("https://app.example.com"), "soa_abc", "cluster.yaml", TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5)),
            (options.ApiUrl, options.Token, options.Kubeconfig, options.ReportInterval, options.MaxBackoff));
    }

    [Fact]
    public void Create_CommandAndSafeModeFlags_BoundWithTheirDefaults()
    {
        using var defaults = AgentHost.Create(["--api-url", "https://app.example.com", "--token", "soa_abc"]);
        using var host = AgentHost.Create(["--api-url", "https://app.example.com", "--token", "soa_abc",
            "--drain-timeout", "00:10:00", "--safe-mode-after", "00:02:00", "--safe-mode-on-demand", "false", "--Agent:EvictionRetry", "00:00:02"]);
        var d = defaults.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
        var o = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), true, TimeSpan.FromSeconds(25)),
            (d.DrainTimeout, d.EvictionRetry, d.SafeModeAfter, d.SafeModeOnDemand, d.CommandWait));
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(2), false),
            (o.DrainTimeout, o.EvictionRetry, o.SafeModeAfter, o.SafeModeOnDemand));
        var services = new ServiceCollection().AddAgent(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Assert.Contains(services, s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(SpotOptimizer.Agent.Commands.CommandPoller));
    }

    [Fact]
    public async Task Start_WithoutUrlAndToken_RefusedNamingTheFlags()
    {
        using var host = AgentHost.Create(["--token", "not-an-agent-token"]);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("--api-url", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--token soa_", refused.Message, StringComparison.Ordinal);
    }
}
