using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Feeds;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Api.Hubs;

/// <summary>
/// Lab telemetry for super admins, from whichever silo runs the experiment. A client calls <c>Watch(experimentId)</c>:
/// it joins the experiment's group first and then gets the history so far as the call's result (the experiment's
/// view, series and steps), so no point falls between the two; after that each new point or step arrives as
/// <c>telemetry</c> (a <see cref="LabTelemetry"/>). A point may arrive both in the history and live: its <c>seq</c>
/// tells them apart.
/// </summary>
[Authorize(Policy = AuthServices.SuperAdminPolicy)]
public sealed class LabHub(IGrainFactory grains) : Hub
{
    public const string Path = "/hubs/lab";
    public const string Method = "telemetry";

    public async Task<ExperimentView> Watch(string experimentId)
    {
        if (!Ids.TryNormalize(experimentId, out var id)) throw new HubException("experiment_id must be a UUID.");
        await Groups.AddToGroupAsync(Context.ConnectionId, FeedRelay.GroupOf(FeedNames.Lab, id));
        if (await grains.GetGrain<ILabExperimentGrain>(id).Get() is { } view) return view;
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, FeedRelay.GroupOf(FeedNames.Lab, id));
        throw new HubException($"No experiment {id}.");
    }

    public Task Unwatch(string experimentId) =>
        Ids.TryNormalize(experimentId, out var id) ? Groups.RemoveFromGroupAsync(Context.ConnectionId, FeedRelay.GroupOf(FeedNames.Lab, id)) : Task.CompletedTask;
}
