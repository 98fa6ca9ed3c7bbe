using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Grains.Accounts;
using SpotOptimizer.Grains.Interfaces.Accounts;

namespace SpotOptimizer.Api.Hubs;

/// <summary>Live discovery progress of the caller's organization (method <c>progress</c>: account, percent, clusters found, stage).</summary>
[Authorize(Policy = AuthServices.ClientPolicy)]
public sealed class OnboardingHub(StreamToHubBridge<OnboardingHub, DiscoveryProgress> bridge) : Hub
{
    public const string Path = "/hubs/onboarding";
    public const string Method = "progress";

    public override async Task OnConnectedAsync()
    {
        var stream = AccountGrain.OnboardingStream(Context.User!.OrganizationId());
        await bridge.EnsureForwardingAsync(stream, Method);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Of(stream));
    }
}
