using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Paygo.Core.Common;

namespace Paygo.Core.Identity;

/// <summary>
/// Password strength and storage (DOMAIN.md §2): at least 12 characters, not a common password,
/// hashed with PBKDF2-HMAC-SHA512 at 210,000 iterations (Identity's v3 format; its default of
/// 100,000 is too low).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 256;
    public const int Pbkdf2Iterations = 210_000;

    // The most common passwords of 12+ characters in public breach corpora, lower case.
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456789abc", "qwertyuiopas", "qwertyuiop123",
        "passwordpassword", "password1234", "password12345", "password123456", "passw0rd1234", "iloveyou1234",
        "aaaaaaaaaaaa", "111111111111", "000000000000", "abcdefghijkl", "abc123abc123", "letmein12345",
        "welcome12345", "administrator", "administrator1", "changeme1234", "qwerty123456", "1q2w3e4r5t6y",
        "1qaz2wsx3edc", "zaq12wsxcde3", "superman1234", "trustno1trustno1", "baseball1234", "football1234",
        "monkey123456", "dragon123456", "sunshine1234", "princess1234", "starwars1234", "p@ssw0rd1234",
        "p@ssword1234", "welcome@1234", "password@123", "password@1234", "admin@123456", "qwertyqwerty",
    };

    public static PasswordHasher<PaygoUser> CreateHasher() =>
        new(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = Pbkdf2Iterations,
        }));

    /// <summary>Problems with a new password, named under <paramref name="field"/>; empty when it is acceptable.</summary>
    public static IReadOnlyList<FieldError> Check(string? password, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
        {
            return [new FieldError(field, $"The field '{field}' is required.")];
        }

        if (password.Length < MinLength)
        {
            return [new FieldError(field, $"The password must have at least {MinLength} characters.")];
        }

        if (password.Length > MaxLength)
        {
            return [new FieldError(field, $"The password must have at most {MaxLength} characters.")];
        }

        if (Common.Contains(password) || password.Distinct().Count() < 4)
        {
            return [new FieldError(field, "The password is too common or too repetitive; choose another.")];
        }

        return [];
    }
}
