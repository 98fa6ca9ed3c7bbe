using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Grains.Interfaces.Feeds;

namespace SpotOptimizer.Api.Hubs;

/// <summary>Pushes each new activity event of the caller's organization (method <c>activity</c>); nothing of other tenants.</summary>
[Authorize(Policy = AuthServices.ClientPolicy)]
public sealed class ActivityHub : Hub
{
    public const string Path = "/hubs/activity";
    public const string Method = "activity";

    public override Task OnConnectedAsync() =>
        Groups.AddToGroupAsync(Context.ConnectionId, FeedRelay.GroupOf(FeedNames.Activity, Context.User!.OrganizationId()));
}
