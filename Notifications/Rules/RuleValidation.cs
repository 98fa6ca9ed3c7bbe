using System.Net;
using System.Net.Sockets;

namespace SpotOptimizer.Notifications.Rules;

/// <summary>Checks a rule set before anything is written. Field names are the wire names (<c>rules[0].url</c>).</summary>
public static class RuleValidation
{
    public const int MaxRules = 20;
    public const int MaxRecipients = 10;

    public sealed record RuleInput(IReadOnlyList<string>? Events, string? Channel, string? Url, IReadOnlyList<string>? Emails);

    public static IReadOnlyList<(string Field, string Message)> Problems(IReadOnlyList<RuleInput>? rules, bool allowInsecureUrls)
    {
        var problems = new List<(string, string)>();
        if (rules is null) return [("rules", "is required (an empty list removes every rule).")];
        if (rules.Count > MaxRules) problems.Add(("rules", $"at most {MaxRules} rules."));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = $"rules[{i}]";
            if (rule is null)
            {
                problems.Add((at, "must be an object."));
                continue;
            }

            if (rule.Events is not { Count: > 0 }) problems.Add(($"{at}.events", $"needs at least one of {string.Join(", ", NotificationEvents.All)}."));
            foreach (var name in rule.Events ?? [])
            {
                if (!NotificationEvents.All.Contains(name)) problems.Add(($"{at}.events", $"'{name}' is not an event ({string.Join(", ", NotificationEvents.All)})."));
            }

            if (rule.Channel is null || !ChannelNames.All.Contains(rule.Channel))
            {
                problems.Add(($"{at}.channel", $"must be one of {string.Join(", ", ChannelNames.All)}."));
                continue;
            }

            if (rule.Channel == ChannelNames.Email)
            {
                if (rule.Emails is not { Count: > 0 and <= MaxRecipients }) problems.Add(($"{at}.emails", $"needs 1 to {MaxRecipients} addresses."));
                foreach (var email in rule.Emails ?? [])
                {
                    if (!IsEmail(email)) problems.Add(($"{at}.emails", $"'{email}' is not an e-mail address."));
                }
            }
            else if (UrlProblem(rule.Url, allowInsecureUrls) is { } problem)
            {
                problems.Add(($"{at}.url", problem));
            }

            var target = rule.Channel == ChannelNames.Email ? string.Join(",", rule.Emails ?? []) : rule.Url ?? "";
            if (!seen.Add(NotificationRule.IdFor(rule.Channel, target))) problems.Add((at, "repeats another rule's channel and destination; list its events in one rule."));
        }

        return problems;
    }

    /// <summary>
    /// https only, no credentials in the URL, and never an address inside our own network (loopback, private,
    /// link-local such as the cloud metadata service) — unless <c>Notifications:AllowInsecureUrls</c> (tests, development).
    /// </summary>
    public static string? UrlProblem(string? url, bool allowInsecureUrls)
    {
        if (string.IsNullOrWhiteSpace(url)) return "is required.";
        if (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) return "must be an absolute https URL.";
        if (uri.UserInfo.Length > 0) return "must not carry credentials.";
        if (allowInsecureUrls) return null;
        if (uri.Scheme != "https") return "must use https.";
        if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.IdnHost, out var address) && IsInternal(address)))
        {
            return "must not point into a private, loopback or link-local network.";
        }

        return null;
    }

    private static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal) return true;
        if (address.AddressFamily != AddressFamily.InterNetwork) return false;
        var b = address.GetAddressBytes();
        return b[0] is 10 or 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }

    private static bool IsEmail(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 254 && System.Net.Mail.MailAddress.TryCreate(value, out var parsed)
        && parsed.Address == value && parsed.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>For logs and audit entries: Slack and Teams URLs are bearer secrets, so only their host and the path's start show.</summary>
    public static string MaskTarget(string channel, string target)
    {
        if (channel is ChannelNames.Email or ChannelNames.Webhook || !Uri.TryCreate(target, UriKind.Absolute, out var uri)) return target;
        var path = uri.AbsolutePath;
        return $"{uri.Scheme}://{uri.Authority}{path[..Math.Min(path.Length, 10)]}…";
    }
}
