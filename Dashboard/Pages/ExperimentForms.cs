using System.ComponentModel.DataAnnotations;
using SpotOptimizer.Dashboard.Services;

namespace SpotOptimizer.Dashboard.Pages;

// The Lab's experiment forms, checked in the browser before submit; the API checks again (the node belongs to the
// cluster, the model is registered, the duration is within Lab:MaxDuration) and its ProblemDetails are shown as they come.

public static class Ec2
{
    public const string InstanceIdPattern = "^i-[0-9a-f]{8,17}$";
    public const string InstanceIdMessage = "An EC2 instance id looks like i-0123456789abcdef0.";
}

public sealed class AbTestDraft
{
    /// <summary>The platform's default Lab:MaxDuration (14 days); a deployment that allows less answers with its own limit.</summary>
    public const int MaxMinutes = 14 * 24 * 60;

    [Required(ErrorMessage = "Choose the cluster.")]
    public string? ClusterId { get; set; }

    [Required(ErrorMessage = "Give arm A's node."), RegularExpression(Ec2.InstanceIdPattern, ErrorMessage = Ec2.InstanceIdMessage)]
    public string? InstanceA { get; set; }

    [Required(ErrorMessage = "Choose arm A's model.")]
    public string? ModelA { get; set; }

    [Required(ErrorMessage = "Give arm B's node."), RegularExpression(Ec2.InstanceIdPattern, ErrorMessage = Ec2.InstanceIdMessage)]
    [NotArmANode(ErrorMessage = "Each arm needs its own node: choose two different ones.")]
    public string? InstanceB { get; set; }

    [Required(ErrorMessage = "Choose arm B's model.")]
    public string? ModelB { get; set; }

    [Range(1, MaxMinutes, ErrorMessage = "A test runs from 1 minute to 14 days (20160 minutes).")]
    public int DurationMinutes { get; set; } = 60;
}

/// <summary>
/// Arm B's node is not arm A's. An attribute rather than <see cref="IValidatableObject"/>, which runs only once every
/// other field is valid: the user sees this with the field's other messages.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotArmANodeAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string node && validationContext.ObjectInstance is AbTestDraft { InstanceA: { } armA } && string.Equals(node, armA, StringComparison.Ordinal)
            ? new ValidationResult(ErrorMessage, validationContext.MemberName is { } member ? [member] : null)
            : ValidationResult.Success;
}

public sealed class LiveSwitchDraft
{
    [Required(ErrorMessage = "Choose the cluster.")]
    public string? ClusterId { get; set; }

    [Required(ErrorMessage = "Give the node to switch."), RegularExpression(Ec2.InstanceIdPattern, ErrorMessage = Ec2.InstanceIdMessage)]
    public string? InstanceId { get; set; }

    [Required(ErrorMessage = "Choose the model that picks the Spot pool.")]
    public string? Model { get; set; }
}

/// <summary>A model an arm can use: the platform's built-in model or a registered upload, as the registry lists them.</summary>
public sealed record ModelChoice(string Id, string Label)
{
    public const string BuiltIn = "builtin";

    public static IReadOnlyList<ModelChoice> From(IEnumerable<RegisteredModel> models) =>
        [.. models.Select(m => new ModelChoice(m.Id, $"{(m.Id == BuiltIn ? "Built-in model" : m.Name)} v{m.Version}{(m.Status == "production" ? " (production)" : "")}"))];
}
