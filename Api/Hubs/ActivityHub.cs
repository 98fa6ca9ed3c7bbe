using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Hubs;

/// <summary>Pushes each new activity event of the caller's organization (method <c>activity</c>); nothing of other tenants.</summary>
[Authorize(Policy = AuthServices.ClientPolicy)]
public sealed class ActivityHub(StreamToHubBridge<ActivityHub, LedgerEntry> bridge) : Hub
{
    public const string Path = "/hubs/activity";
    public const string Method = "activity";

    public override async Task OnConnectedAsync()
    {
        var stream = AuditLedger.StreamOf(Context.User!.OrganizationId());
        await bridge.EnsureForwardingAsync(stream, Method);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Of(stream));
    }
}
