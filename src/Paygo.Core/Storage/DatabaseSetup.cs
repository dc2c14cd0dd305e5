using Microsoft.EntityFrameworkCore;
using Paygo.Core.Demo;

namespace Paygo.Core.Storage;

/// <summary>Raised when the database cannot be reached or migrated; its message is one sentence for the operator.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Creates and migrates the database and, for a demo instance, seeds it.</summary>
public static class DatabaseSetup
{
    /// <summary>
    /// Migrates, seeds what every instance needs (and the demo when asked), and anchors audit
    /// chains that have no signed head yet; returns those chains, which the caller reports.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(PaygoDbContext db, StorageSettings settings, bool seedDemo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            await settings.Engine.PrepareAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            var auditKey = Audit.AuditAnchorKey.LoadOrCreate(settings.KeysDirectory);
            var anchored = await Audit.AuditTrail.AnchorUnanchoredChainsAsync(db, auditKey, TimeProvider.System, cancellationToken);

            // Reference data every instance needs, demo or not; added when missing, never overwritten.
            await Catalog.CatalogSeed.EnsureAsync(db, DateTimeOffset.UtcNow, cancellationToken);
            if (seedDemo)
            {
                await DemoInstance.SeedAsync(db, auditKey, cancellationToken);
            }

            return anchored;
        }
        catch (Exception e) when (e is not OperationCanceledException and not DatabaseUnavailableException)
        {
            throw new DatabaseUnavailableException(
                $"Paygo cannot use the {settings.Engine.Name} database at {settings.Description}: {FirstLine(e)}",
                e);
        }
    }

    private static string FirstLine(Exception e)
    {
        // The innermost message names the cause (refused connection, bad password, missing folder).
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var message = inner.Message.Split('\n', 2)[0].Trim();
        return message.EndsWith('.') ? message : message + ".";
    }
}
