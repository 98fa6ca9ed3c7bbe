using System.Security.Claims;
using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Notifications;
using SpotOptimizer.Notifications;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Who hears about what: the organization's rules (event → webhook, Slack, Teams or e-mail), its time zone (the
/// weekly report's Monday), the webhook signing secret (shown once), the delivery log, and a test send.
/// </summary>
public static class NotificationsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/api/notifications").WithTags("notifications").RequireAuthorization(AuthServices.ClientPolicy);
        notifications.MapGet("/rules", GetRules).Produces<RulesView>(StatusCodes.Status200OK);
        notifications.MapPut("/rules", PutRules).AcceptsJson<RulesRequest>().Produces<RulesView>(StatusCodes.Status200OK);
        notifications.MapGet("/settings", GetSettings).Produces<SettingsView>(StatusCodes.Status200OK);
        notifications.MapPut("/settings", PutSettings).AcceptsJson<SettingsRequest>().Produces<SettingsView>(StatusCodes.Status200OK);
        notifications.MapPost("/signing-secret", RotateSecret).Produces<SecretIssued>(StatusCodes.Status200OK);
        notifications.MapGet("/deliveries", Deliveries).Produces<DeliveryLog>(StatusCodes.Status200OK);
        notifications.MapPost("/test", SendTest).Produces<TestQueued>(StatusCodes.Status202Accepted);
        return app;
    }

    public static async Task<IResult> GetRules(ClaimsPrincipal user, NotificationSettingsStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(RulesView.Of(await store.GetAsync(user.OrganizationId(), cancellationToken), null));

    public static async Task<IResult> PutRules(
        HttpRequest request, ClaimsPrincipal user, NotificationSettingsStore store, IOptions<NotificationOptions> options, IGrainFactory grains,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RulesRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var inputs = body!.Rules!.Select(r => r is null ? null! : new RuleValidation.RuleInput(r.Events, r.Channel, r.Url, r.Emails)).ToList();
        var problems = RuleValidation.Problems(inputs, options.Value.AllowInsecureUrls);
        if (problems.Count > 0) return Problems.Validation(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        var rules = inputs.Select(r => NotificationRule.Create(r.Events!, r.Channel!, r.Url, r.Emails)).ToList();
        var change = await store.ReplaceRulesAsync(user.OrganizationId(), user.Actor(), rules, cancellationToken);
        if (rules.Any(r => r.Events.Contains(NotificationEvents.SavingsReport))) await grains.GetGrain<IWeeklyReportGrain>(user.OrganizationId()).Schedule();
        return TypedResults.Ok(RulesView.Of(change.Settings, change.NewSigningSecret));
    }

    public static async Task<IResult> GetSettings(ClaimsPrincipal user, NotificationSettingsStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SettingsView((await store.GetAsync(user.OrganizationId(), cancellationToken)).TimeZone));

    public static async Task<IResult> PutSettings(HttpRequest request, ClaimsPrincipal user, NotificationSettingsStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<SettingsRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var change = await store.SetTimeZoneAsync(user.OrganizationId(), user.Actor(), body!.Timezone!, cancellationToken);
        return TypedResults.Ok(new SettingsView(change.Settings.TimeZone));
    }

    public static async Task<IResult> RotateSecret(ClaimsPrincipal user, NotificationSettingsStore store, CancellationToken cancellationToken)
    {
        var change = await store.RotateSigningSecretAsync(user.OrganizationId(), user.Actor(), cancellationToken);
        return TypedResults.Ok(new SecretIssued(change.NewSigningSecret!, change.Settings.SecretCreatedAt!.Value));
    }

    public static async Task<IResult> Deliveries(string? limit, ClaimsPrincipal user, NotificationOutbox outbox, CancellationToken cancellationToken)
    {
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out count) || count is < 1 or > MaxLimit))
        {
            return Problems.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }

        return TypedResults.Ok(new DeliveryLog(await outbox.ListAsync(user.OrganizationId(), count, cancellationToken)));
    }

    /// <summary>Queues a test event to every rule of the organization (each test is its own occurrence).</summary>
    public static async Task<IResult> SendTest(ClaimsPrincipal user, INotificationCenter center, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var queued = await center.RaiseAsync(new NotificationEvent(NotificationEvents.Test, user.OrganizationId(), $"test:{Guid.NewGuid():N}",
            "Test notification", "This is a test from SpotOptimizer: this destination receives your notifications.",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["Requested by"] = user.Actor() }, now), cancellationToken);
        return queued == 0
            ? Problems.Unprocessable("no_rules", "The organization has no notification rules to test; PUT /api/notifications/rules first.")
            : TypedResults.Accepted("/api/notifications/deliveries", new TestQueued(queued));
    }

    public sealed record RuleRequest(List<string>? Events, string? Channel, string? Url, List<string>? Emails);

    /// <summary>The whole rule set; fields are checked by <see cref="RuleValidation"/>, which knows the URL policy.</summary>
    public sealed record RulesRequest(List<RuleRequest?>? Rules) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (Rules is null) errors.Add("rules", "is required (an empty list removes every rule).");
        }
    }

    public sealed record SettingsRequest(string? Timezone) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("timezone", Timezone) && (!TimeZoneInfo.TryFindSystemTimeZoneById(Timezone!, out var zone) || !zone.HasIanaId && Timezone != "UTC"))
            {
                errors.Add("timezone", $"'{Timezone}' is not an IANA time zone (e.g. Europe/Berlin, America/New_York).");
            }
        }
    }

    public sealed record RuleView(string Id, IReadOnlyList<string> Events, string Channel, string? Url, IReadOnlyList<string>? Emails);

    /// <param name="SigningSecret">Only in the answer that created it; never readable again.</param>
    public sealed record RulesView(
        IReadOnlyList<RuleView> Rules, string Timezone, bool SigningSecretConfigured, DateTimeOffset? SigningSecretCreatedAt, string? SigningSecret)
    {
        public static RulesView Of(NotificationSettings s, string? newSecret) => new(
            [.. s.Rules.Select(r => new RuleView(r.Id, r.Events, r.Channel, r.Url, r.Emails))], s.TimeZone, s.HasSigningSecret, s.SecretCreatedAt, newSecret);
    }

    public sealed record SettingsView(string Timezone);

    public sealed record SecretIssued(string SigningSecret, DateTimeOffset CreatedAt);

    public sealed record DeliveryLog(IReadOnlyList<DeliveryView> Deliveries);

    public sealed record TestQueued(int Queued);
}
