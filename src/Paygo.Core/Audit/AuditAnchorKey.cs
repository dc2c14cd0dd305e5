using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Paygo.Core.Audit;

/// <summary>
/// The secret that signs each audit chain's head. It is kept in the data directory's
/// <c>keys/</c> folder beside the token signing keys (readable by the server's user only), never
/// in the database: whoever can rewrite the database still cannot sign a head that hides a
/// removed or rewritten tail. Several nodes share it as they share the token keys.
/// </summary>
public sealed class AuditAnchorKey
{
    public const string FileName = "audit-anchor.key";
    private const int KeyBytes = 32;
    private readonly byte[] _key;

    private AuditAnchorKey(byte[] key) => _key = key;

    /// <summary>A key from its bytes (tests, or a key kept elsewhere).</summary>
    public static AuditAnchorKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeyBytes)
        {
            throw new ArgumentException($"The audit key needs at least {KeyBytes} bytes.", nameof(key));
        }

        return new AuditAnchorKey(key.ToArray());
    }

    /// <summary>A fresh random key that is kept nowhere (tests).</summary>
    public static AuditAnchorKey CreateEphemeral() => new(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The key in <paramref name="keysFolder"/>, or null when there is none.</summary>
    public static AuditAnchorKey? Load(string keysFolder)
    {
        var path = Path.Combine(keysFolder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path).Trim();
        try
        {
            return FromBytes(Convert.FromBase64String(text));
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"The audit key file {path} is not base64: restore it from a backup; a new key would make every chain head fail verification.", e);
        }
    }

    /// <summary>The key in <paramref name="keysFolder"/>, created (0600) on first use.</summary>
    public static AuditAnchorKey LoadOrCreate(string keysFolder)
    {
        if (Load(keysFolder) is { } existing)
        {
            return existing;
        }

        // The first to create keys/ may be a CLI command run before any server start.
        Storage.OwnerOnly.CreateDirectory(keysFolder);
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var path = Path.Combine(keysFolder, FileName);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            File.Delete(temporary);
            return Load(keysFolder)!;
        }

        return new AuditAnchorKey(key);
    }

    /// <summary>Hex HMAC-SHA256 over the head's chain, position and hash.</summary>
    public string Sign(string chain, long sequence, string hash)
    {
        var content = string.Join('\u001f', "paygo-audit-head", chain, sequence.ToString(CultureInfo.InvariantCulture), hash);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>Whether the head carries this key's signature of its chain, position and hash (constant time).</summary>
    public bool Verifies(AuditChainHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var expected = Encoding.ASCII.GetBytes(Sign(head.Chain, head.Sequence, head.Hash));
        var actual = Encoding.ASCII.GetBytes(head.Signature ?? string.Empty);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
