namespace Paygo.Rating.Access;

/// <summary>
/// An Azure RBAC scope inside one Azure subscription: the subscription
/// (<c>/subscriptions/{id}</c>), a resource group (<c>.../resourceGroups/{rg}</c>) or a resource
/// (<c>.../providers/{namespace}/{type}/{name}</c>, nested types included). ARM ids compare
/// case-insensitively, and a scope covers a resource when it is the resource or one of its
/// ancestors by whole path segments: <c>rg-app</c> covers <c>rg-app/...</c> but not <c>rg-app2</c>.
/// </summary>
public readonly struct ArmScope : IEquatable<ArmScope>
{
    private const string SubscriptionsPrefix = "/subscriptions/";

    private ArmScope(string path, int subscriptionIdLength)
    {
        Path = path;
        SubscriptionIdLength = subscriptionIdLength;
    }

    /// <summary>The ARM id as written, without a trailing slash.</summary>
    public string Path { get; }

    /// <summary>The Azure subscription (entitlement) id the scope lies in, as written.</summary>
    public string SubscriptionId => Path.Substring(SubscriptionsPrefix.Length, SubscriptionIdLength);

    private int SubscriptionIdLength { get; }

    /// <summary>True for <c>/subscriptions/{id}</c> itself.</summary>
    public bool IsSubscription => Path.Length == SubscriptionsPrefix.Length + SubscriptionIdLength;

    /// <summary>
    /// Reads an ARM id. Scopes outside a subscription (the tenant root, management groups) are
    /// refused: Paygo bills Azure subscriptions and knows no management-group tree to inherit from.
    /// </summary>
    public static bool TryParse(string? text, out ArmScope scope)
    {
        scope = default;
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length != text.Length)
        {
            return false;
        }

        var path = text.TrimEnd('/');
        if (!path.StartsWith(SubscriptionsPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = path.AsSpan(SubscriptionsPrefix.Length);
        var slash = rest.IndexOf('/');
        var idLength = slash < 0 ? rest.Length : slash;
        if (idLength == 0 || path.Contains("//", StringComparison.Ordinal))
        {
            return false;
        }

        scope = new ArmScope(path, idLength);
        return true;
    }

    public static ArmScope Parse(string text) =>
        TryParse(text, out var scope) ? scope : throw new FormatException($"'{text}' is not an ARM scope inside a subscription (/subscriptions/{{id}}[/...]).");

    /// <summary>
    /// True when this scope is <paramref name="resourceId"/> or one of its ancestors: a
    /// case-insensitive prefix ending at a segment boundary. A trailing slash on the resource is ignored.
    /// </summary>
    public bool Covers(ReadOnlySpan<char> resourceId) => Covers(Path, resourceId);

    internal static bool Covers(string scopePath, ReadOnlySpan<char> resourceId)
    {
        if (resourceId.Length > scopePath.Length)
        {
            return resourceId[scopePath.Length] == '/'
                && resourceId.StartsWith(scopePath, StringComparison.OrdinalIgnoreCase);
        }

        return resourceId.TrimEnd('/').Equals(scopePath, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The subscription id segment of an ARM id, or empty when it is not under /subscriptions/.</summary>
    public static ReadOnlySpan<char> SubscriptionIdOf(ReadOnlySpan<char> armId)
    {
        if (!armId.StartsWith(SubscriptionsPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var rest = armId[SubscriptionsPrefix.Length..];
        var slash = rest.IndexOf('/');
        return slash < 0 ? rest : rest[..slash];
    }

    public bool Equals(ArmScope other) => string.Equals(Path, other.Path, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => obj is ArmScope other && Equals(other);

    public override int GetHashCode() => Path is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Path);

    public static bool operator ==(ArmScope left, ArmScope right) => left.Equals(right);

    public static bool operator !=(ArmScope left, ArmScope right) => !left.Equals(right);

    public override string ToString() => Path ?? string.Empty;
}
