using System.ComponentModel.DataAnnotations;

namespace SpotOptimizer.Dashboard.Pages;

// Checked in the browser before submit; the API checks again and its ProblemDetails are shown as they come.

public sealed class Credentials
{
    [Required, EmailAddress]
    public string? Email { get; set; }

    [Required]
    public string? Password { get; set; }
}

public sealed class Registration
{
    [Required, StringLength(100)]
    public string? OrgName { get; set; }

    [Required, EmailAddress]
    public string? Email { get; set; }

    [Required, MinLength(10, ErrorMessage = "The password must be at least 10 characters.")]
    public string? Password { get; set; }
}

public sealed class RoleLink
{
    [Required, RegularExpression("^[0-9]{12}$", ErrorMessage = "An AWS account id is 12 digits.")]
    public string? AccountId { get; set; }

    [Required, RegularExpression(@"^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", ErrorMessage = "A role ARN looks like arn:aws:iam::123456789012:role/SpotOptimizer.")]
    public string? RoleArn { get; set; }
}

public sealed class TemplateDraft : IValidatableObject
{
    [Required, StringLength(64), Display(Name = "Template name")]
    public string? Name { get; set; }

    [Required(ErrorMessage = "List at least one instance family.")]
    public string? Families { get; set; }

    public bool X86 { get; set; } = true;

    public bool Arm { get; set; }

    public string Strategy { get; set; } = "spot";

    [Range(1, 448)]
    public int MinVcpu { get; set; } = 2;

    [Range(1, 448)]
    public int MaxVcpu { get; set; } = 64;

    public IReadOnlyList<string> FamilyList =>
        [.. (Families ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.ToLowerInvariant()).Distinct()];

    public IReadOnlyList<string> Architectures => [.. new[] { X86 ? "x86_64" : null, Arm ? "arm64" : null }.OfType<string>()];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!X86 && !Arm) yield return new ValidationResult("Choose at least one architecture.", [nameof(X86)]);
        if (MaxVcpu < MinVcpu) yield return new ValidationResult("The largest size must be at least the smallest.", [nameof(MaxVcpu)]);
    }
}

public sealed class PasswordChange
{
    [Required]
    public string? Current { get; set; }

    [Required, MinLength(10, ErrorMessage = "The password must be at least 10 characters.")]
    public string? New { get; set; }

    [Required, Compare(nameof(New), ErrorMessage = "The two new passwords differ.")]
    public string? Repeat { get; set; }
}
