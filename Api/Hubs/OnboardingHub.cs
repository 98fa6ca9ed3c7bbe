using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Grains.Interfaces.Feeds;

namespace SpotOptimizer.Api.Hubs;

/// <summary>Live discovery progress of the caller's organization (method <c>progress</c>: account, percent, clusters found, stage).</summary>
[Authorize(Policy = AuthServices.ClientPolicy)]
public sealed class OnboardingHub : Hub
{
    public const string Path = "/hubs/onboarding";
    public const string Method = "progress";

    public override Task OnConnectedAsync() =>
        Groups.AddToGroupAsync(Context.ConnectionId, FeedRelay.GroupOf(FeedNames.Onboarding, Context.User!.OrganizationId()));
}
