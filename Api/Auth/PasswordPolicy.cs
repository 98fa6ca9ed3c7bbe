namespace SpotOptimizer.Api.Auth;

/// <summary>
/// Minimum strength: 10–128 characters, at least three of lower case, upper case, digits and symbols, and not
/// built on the email's local part. Long passphrases pass on length and variety alone.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    public static IEnumerable<string> Problems(string password, string email)
    {
        if (password.Length < MinLength) yield return $"must be at least {MinLength} characters.";
        if (password.Length > MaxLength) yield return $"must be at most {MaxLength} characters.";
        var classes = new[] { password.Any(char.IsLower), password.Any(char.IsUpper), password.Any(char.IsDigit), password.Any(c => !char.IsLetterOrDigit(c)) };
        if (classes.Count(present => present) < 3) yield return "must mix at least three of: lower case, upper case, digits, symbols.";
        var local = email.Split('@')[0];
        if (local.Length >= 4 && password.Contains(local, StringComparison.OrdinalIgnoreCase)) yield return "must not contain your email name.";
    }
}
