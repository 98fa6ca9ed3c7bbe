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
