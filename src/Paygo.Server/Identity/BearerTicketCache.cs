using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace Paygo.Server.Identity;

/// <summary>
/// The principals of access tokens OpenIddict has already validated, remembered by the token's
/// SHA-256 until the token expires, so a client reusing its token (every client does, for an
/// hour) pays for the signature check and the claim mapping once, not on every request: that was
/// most of what a refused request cost and about a tenth of a served one (PROMISES P3, S9,
/// docs/adr/0024). What a token says cannot change, only whether it still stands, and that is
/// not decided here: <see cref="PermissionHandler"/> still asks, on every request, whether the
/// user, the app credential and the token's entry are valid (<see cref="TokenValidityCache"/>,
/// reset by every revoking write), so a revoked token fails on its very next request (S6).
/// </summary>
internal sealed class BearerTicketCache(TimeProvider clock)
{
    // Enough for every token in use on a busy node; past it the cache starts over rather than
    // growing (an entry costs one validation to rebuild).
    private const int Capacity = 50_000;

    // A token longer than this is not remembered (Paygo's are about a kilobyte); it is validated each time.
    private const int MaxTokenLength = 16 * 1024;

    private readonly ConcurrentDictionary<TokenHash, Entry> _entries = new();
    private long _validations;

    /// <summary>How many tokens were validated rather than found (for tests and the benchmark's reading).</summary>
    public long Validations => Interlocked.Read(ref _validations);

    public int Count => _entries.Count;

    /// <summary>The remembered principal of <paramref name="token"/>, a copy the request may change; false if unknown or expired.</summary>
    public bool TryGet(string token, out AuthenticationTicket? ticket)
    {
        ArgumentNullException.ThrowIfNull(token);
        ticket = null;
        if (!TryHash(token, out var key) || !_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (clock.GetUtcNow() >= entry.ExpiresAt)
        {
            _entries.TryRemove(key, out _);
            return false;
        }

        // A copy per request: the principal is mutable and a request may add an identity or a claim to its own.
        ticket = new AuthenticationTicket(Copy(entry.Principal), AuthSetup.BearerScheme);
        return true;
    }

    /// <summary>Remembers what validating <paramref name="token"/> gave, until the token's own expiry.</summary>
    public void Remember(string token, ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(principal);
        Interlocked.Increment(ref _validations);

        // A token without an expiry is never remembered: its answer would outlive any bound.
        if (principal.GetExpirationDate() is not { } expires || expires <= clock.GetUtcNow() || !TryHash(token, out var key))
        {
            return;
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(Copy(principal), expires);
    }

    // ClaimsPrincipal.Clone shares its identities; each identity's own Clone copies its claims.
    private static ClaimsPrincipal Copy(ClaimsPrincipal principal) => new(principal.Identities.Select(i => i.Clone()));

    /// <summary>Counts a validation whose result was not remembered (a failed or unreadable token).</summary>
    public void CountValidation() => Interlocked.Increment(ref _validations);

    private static bool TryHash(string token, out TokenHash hash)
    {
        hash = default;
        if (token.Length > MaxTokenLength)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(token.Length));
        try
        {
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, Encoding.UTF8.GetBytes(token, buffer)), digest);
            hash = new TokenHash(
                BitConverter.ToUInt64(digest[..8]), BitConverter.ToUInt64(digest[8..16]),
                BitConverter.ToUInt64(digest[16..24]), BitConverter.ToUInt64(digest[24..]));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D);

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt);
}

/// <summary>
/// The API's bearer scheme: a token seen before is answered from <see cref="BearerTicketCache"/>,
/// any other goes to OpenIddict's validation (signature, lifetime, audience, claims) and, if
/// valid, is remembered. Challenges and forbids are OpenIddict's own.
/// </summary>
internal sealed class CachedBearerHandler(BearerTicketCache cache) : IAuthenticationHandler
{
    public const string Scheme = "Paygo.Bearer";
    private const string OpenIddictScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    private HttpContext? _context;
    private Task<AuthenticateResult>? _result;

    private HttpContext Context => _context ?? throw new InvalidOperationException("The handler is not initialised.");

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    // Once per request, however many policies ask.
    public Task<AuthenticateResult> AuthenticateAsync() => _result ??= AuthenticateOnceAsync();

    public Task ChallengeAsync(AuthenticationProperties? properties) => Context.ChallengeAsync(OpenIddictScheme, properties);

    public Task ForbidAsync(AuthenticationProperties? properties) => Context.ForbidAsync(OpenIddictScheme, properties);

    private async Task<AuthenticateResult> AuthenticateOnceAsync()
    {
        var token = BearerToken(Context.Request);
        if (token is not null && cache.TryGet(token, out var ticket))
        {
            return AuthenticateResult.Success(ticket!);
        }

        var result = await Context.AuthenticateAsync(OpenIddictScheme);
        if (token is null)
        {
            return result;
        }

        if (result.Succeeded)
        {
            cache.Remember(token, result.Principal);
            return AuthenticateResult.Success(new AuthenticationTicket(result.Principal, result.Properties, Scheme));
        }

        cache.CountValidation();
        return result;
    }

    // Only the Authorization header, the one place Paygo's clients send a token.
    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }
}
