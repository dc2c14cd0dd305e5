using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Audit;
using Paygo.Core.Common;

namespace Paygo.Core.Identity;

/// <summary>
/// Encrypts the secrets Paygo must read back, which therefore cannot be hashed like passwords
/// and recovery codes: the TOTP secrets (docs/adr/0015). Core depends on this interface only,
/// so the CLI and the tests use Core without the server; <see cref="DataProtectionSecretProtector"/>
/// is the one implementation.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The stored form of <paramref name="secret"/>, bound to its owner: it decrypts for that owner only.</summary>
    string Protect(Guid ownerId, string secret);

    /// <summary>The secret, or null when <paramref name="stored"/> is not a protected value of that owner (clear text, another row's value, a lost key ring).</summary>
    string? Unprotect(Guid ownerId, string stored);
}

/// <summary>
/// <see cref="ISecretProtector"/> on ASP.NET Core Data Protection (AES-256-CBC with HMAC-SHA-256,
/// keys rotated every 90 days and kept for reading). The owner's id is part of the purpose, so a
/// value copied to another user's row does not decrypt there.
/// </summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    /// <summary>Marks a protected value; base32 secrets never contain ':', so clear and protected values cannot be confused.</summary>
    public const string Prefix = "dp1:";

    private const string Purpose = "Paygo.Identity.TotpSecret.v1";

    private readonly IDataProtector _root = (provider ?? throw new ArgumentNullException(nameof(provider))).CreateProtector(Purpose);

    public static bool IsProtected(string? stored) => stored is not null && stored.StartsWith(Prefix, StringComparison.Ordinal);

    public string Protect(Guid ownerId, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + For(ownerId).Protect(secret);
    }

    public string? Unprotect(Guid ownerId, string stored)
    {
        if (!IsProtected(stored))
        {
            return null;
        }

        try
        {
            return For(ownerId).Unprotect(stored[Prefix.Length..]);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private IDataProtector For(Guid ownerId) => _root.CreateProtector(ownerId.ToString("N"));
}

/// <summary>
/// The Data Protection key ring of an instance: XML key files in <c>&lt;data dir&gt;/keys</c>,
/// beside the OAuth signing keys and protected the same way (files readable by the server's user
/// only). The server, the CLI and the tests open the same folder, so they read each other's
/// values. Losing the folder loses every TOTP secret: back it up with the database.
/// </summary>
public static class PaygoKeyRing
{
    public const string ApplicationName = "Paygo";

    public static string Folder(string dataDirectory) => Path.Combine(dataDirectory, "keys");

    /// <summary>Points a Data Protection registration at the data directory's key ring.</summary>
    public static IDataProtectionBuilder UseDataDirectory(this IDataProtectionBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var repository = new PrivateKeyFiles(Folder(dataDirectory));
        return builder.SetApplicationName(ApplicationName).AddKeyManagementOptions(o => o.XmlRepository = repository);
    }

    /// <summary>A protector on the data directory's key ring, for work outside the server (CLI, tests).</summary>
    public static ISecretProtector Protector(string dataDirectory)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().UseDataDirectory(dataDirectory);
        return new DataProtectionSecretProtector(services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>());
    }
}

/// <summary>
/// Key files like Data Protection's own file repository, but created readable by the owner only
/// (0600, in a 0700 folder), as the OAuth keys are; older key files are tightened when read.
/// </summary>
internal sealed class PrivateKeyFiles(string folder) : IXmlRepository
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var elements = new List<XElement>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml"))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }

            elements.Add(XElement.Load(file));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        Storage.OwnerOnly.CreateDirectory(folder);

        // Data Protection names keys "key-<guid>"; anything else gets a fresh name.
        var name = friendlyName is { Length: > 0 and <= 100 } && friendlyName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? friendlyName : Guid.NewGuid().ToString();
        var path = Path.Combine(folder, name + ".xml");
        var temporary = Path.Combine(folder, $"{name}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temporary, options))
        {
            element.Save(stream);
        }

        // Readers see a key file whole or not at all.
        File.Move(temporary, path, overwrite: false);
    }
}

/// <summary>
/// The start-up step that encrypts TOTP secrets still stored in clear: rows written before
/// secrets were encrypted, and the demo seed (whose secrets are public in demo-credentials.json).
/// Idempotent and safe on several nodes at once: a row is rewritten only while it still holds the
/// clear value that was read. Audited as one <c>protect_totp_secrets</c> record.
/// </summary>
public static class TotpSecretsAtRest
{
    public static async Task<int> ProtectClearSecretsAsync(PaygoDbContext db, ISecretProtector secrets, AuditAnchorKey auditKey, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(secrets);
        var clear = await db.Users.AsNoTracking()
            .Where(u => u.TotpSecret != null && !u.TotpSecret.StartsWith(DataProtectionSecretProtector.Prefix))
            .Select(u => new { u.Id, u.TotpSecret })
            .ToListAsync(cancellationToken);
        if (clear.Count == 0)
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = new List<Guid>();
        foreach (var row in clear)
        {
            var value = row.TotpSecret!;
            var protectedValue = secrets.Protect(row.Id, value);
            var updated = await db.Users.Where(u => u.Id == row.Id && u.TotpSecret == value)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpSecret, protectedValue), cancellationToken);
            if (updated == 1)
            {
                changed.Add(row.Id);
            }
        }

        if (changed.Count > 0)
        {
            await new AuditTrail(db, clock, new FixedActor(Actor.System), auditKey).AppendAsync(new AuditEntry("protect_totp_secrets", "user", AuditEntry.Succeeded,
                ResourceNewValue: JsonSerializer.Serialize(new { count = changed.Count, userIds = changed }, PaygoJson.Options)), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed.Count;
    }
}
