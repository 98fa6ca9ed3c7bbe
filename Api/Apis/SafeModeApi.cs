using System.Security.Claims;
using System.Text.Json;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Platform;
using SpotOptimizer.Notifications;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The super admins' runtime SAFE_MODE switch. Every silo reads it within <c>Safety:RefreshInterval</c> (2 s); from then
/// on new jobs and hibernation run as dry runs and running jobs stop before their next cloud step. <c>Safety:SafeMode</c>
/// in configuration is a floor the switch cannot lower.
/// </summary>
public static class SafeModeApi
{
    public const string Route = "/safe-mode";

    public static RouteGroupBuilder MapSafeModeApi(this RouteGroupBuilder admin)
    {
        admin.MapGet(Route, Get).Produces<SafeModeView>(StatusCodes.Status200OK);
        admin.MapPatch(Route, Set).AcceptsJson<SafeModeRequest>().Produces<SafeModeView>(StatusCodes.Status200OK);
        return admin;
    }

    public static async Task<IResult> Get(IGrainFactory grains, IConfiguration configuration) =>
        TypedResults.Ok(View(await Switch(grains).Get(), Configured(configuration)));

    public static async Task<IResult> Set(
        HttpRequest request, ClaimsPrincipal admin, IGrainFactory grains, IConfiguration configuration, AuditLedger ledger, INotificationCenter notifications,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<SafeModeRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var configured = Configured(configuration);
        if (configured && body!.Enabled == false)
        {
            return Problems.Conflict("safe_mode_configured",
                "Safety:SafeMode is set in the platform's configuration; the runtime switch cannot turn SAFE_MODE off. Change the configuration and restart.");
        }

        var before = await Switch(grains).Get();
        var after = await Switch(grains).Set(new SafeModeChange(body!.Enabled!.Value, admin.Actor(), body.Reason?.Trim()));
        if (before.Enabled != after.Enabled || before.ChangedAt is null)
        {
            await ledger.RecordAsync(admin.OrganizationId(), admin.Actor(), "platform.safe_mode_changed", "platform:safe-mode",
                JsonSerializer.Serialize(new { enabled = after.Enabled, reason = after.Reason }), cancellationToken,
                before: JsonSerializer.Serialize(new { enabled = before.Enabled, reason = before.Reason }));
            if (after.Enabled) await RaiseEnteredAsync(notifications, after, cancellationToken);
        }

        return TypedResults.Ok(View(after, configured));
    }

    /// <summary>Every organization with a <c>safe_mode_entered</c> rule hears of it: their clusters stop changing until it is off.</summary>
    private static Task<int> RaiseEnteredAsync(INotificationCenter notifications, SafeModeSwitch entered, CancellationToken cancellationToken) =>
        notifications.RaiseAsync(new NotificationEvent(
            NotificationEvents.SafeModeEntered, OrganizationId: null, SourceId: $"safe-mode:{entered.ChangedAt!.Value.ToUnixTimeMilliseconds()}",
            "SAFE_MODE is on",
            "SpotOptimizer switched to SAFE_MODE: no cloud action will change your clusters until it is switched off; plans and dry runs continue.",
            new Dictionary<string, string> { ["since"] = entered.ChangedAt.Value.ToString("O") },
            entered.ChangedAt.Value), cancellationToken);

    private static ISafeModeGrain Switch(IGrainFactory grains) => grains.GetGrain<ISafeModeGrain>(ISafeModeGrain.Key);

    private static bool Configured(IConfiguration configuration) => configuration.GetValue<bool>("Safety:SafeMode");

    private static SafeModeView View(SafeModeSwitch current, bool configured) =>
        new(configured || current.Enabled, configured, current.Enabled, current.ChangedAt, current.ChangedBy, current.Reason);

    public sealed record SafeModeRequest(bool? Enabled, string? Reason) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (Enabled is null) errors.Add("enabled", "is required.");
            if (Reason is { Length: > 500 }) errors.Add("reason", "must be at most 500 characters.");
        }
    }

    /// <param name="Enabled">What holds on every silo once they have read the switch: configured or switched on.</param>
    /// <param name="Configured">Set by <c>Safety:SafeMode</c>; the switch cannot lower it.</param>
    /// <param name="SwitchedOn">The runtime switch itself.</param>
    public sealed record SafeModeView(bool Enabled, bool Configured, bool SwitchedOn, DateTimeOffset? ChangedAt, string? ChangedBy, string? Reason);
}
