using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace SpotOptimizer.Silo;

/// <summary>
/// Orleans binds its silo and gateway ports with SO_REUSEADDR, which on Linux also lets a second silo bind a port another
/// one already listens on: both would start, and the kernel would split their connections between them (one cluster's
/// probes answered by another's silo). A silo therefore refuses to start, naming the setting, when something on this
/// machine already accepts connections on one of its ports.
/// </summary>
internal sealed class SiloPortGuard(IOptions<EndpointOptions> endpoints) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloPortGuard), ServiceLifecycleStage.First, _ => CheckAsync());

    private async Task CheckAsync()
    {
        var options = endpoints.Value;
        var addresses = new[] { IPAddress.Loopback, options.AdvertisedIPAddress }.Where(a => a is not null).Distinct().ToList();
        foreach (var (setting, port) in new[] { ("SiloPort", options.SiloPort), ("GatewayPort", options.GatewayPort) })
        {
            if (port <= 0) continue;
            foreach (var address in addresses)
            {
                if (await AcceptsAsync(address!, port))
                {
                    throw new InvalidOperationException(
                        $"Orleans:Endpoints:{setting} {port} is already in use on {address} (another silo or program). Give each silo on one machine ports of its own.");
                }
            }
        }
    }

    /// <summary>Whether something accepts a connection there; a refused or unreachable address is a free port.</summary>
    private static async Task<bool> AcceptsAsync(IPAddress address, int port)
    {
        using var client = new TcpClient(address.AddressFamily);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(address, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
