using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Notifications.Rules;

public static class ChannelNames
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string Teams = "teams";
    public const string Email = "email";

    public static readonly IReadOnlyList<string> All = [Webhook, Slack, Teams, Email];
}

/// <summary>
/// Where an organization's events go: these events, through this channel, to this URL (webhook, Slack, Teams) or
/// these addresses (email). <see cref="Id"/> is derived from channel and destination, so saving the same rule again
/// keeps its id (and the outbox's idempotency keys stay meaningful).
/// </summary>
public sealed record NotificationRule(string Id, IReadOnlyList<string> Events, string Channel, string? Url, IReadOnlyList<string>? Emails)
{
    public string Target => Channel == ChannelNames.Email ? string.Join(",", Emails ?? []) : Url ?? "";

    public static string IdFor(string channel, string target) =>
        "rule_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{channel}\n{target.ToLowerInvariant()}")))[..16];

    public static NotificationRule Create(IReadOnlyList<string> events, string channel, string? url, IReadOnlyList<string>? emails)
    {
        var rule = new NotificationRule("", [.. events.Distinct(StringComparer.Ordinal)], channel, channel == ChannelNames.Email ? null : url,
            channel == ChannelNames.Email ? emails : null);
        return rule with { Id = IdFor(channel, rule.Target) };
    }
}

/// <summary>An organization's notification settings: its rules, the time zone its weekly report follows, its signing secret's state.</summary>
public sealed record NotificationSettings(
    string OrganizationId, string TimeZone, IReadOnlyList<NotificationRule> Rules, bool HasSigningSecret, DateTimeOffset? SecretCreatedAt)
{
    public const string DefaultTimeZone = "UTC";

    public static NotificationSettings Empty(string organizationId) => new(organizationId, DefaultTimeZone, [], false, null);
}
