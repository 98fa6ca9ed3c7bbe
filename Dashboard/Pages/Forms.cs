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
