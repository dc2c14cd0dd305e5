using System.Buffers;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Paygo.Core.Identity;

/// <summary>
/// A process-wide counter that moves whenever this process writes anything that can revoke a
/// token or session: a user row (disable, new security stamp), an OpenIddict token or
/// authorization (refresh-token reuse revokes the chain with a bulk <c>UPDATE</c>) or an app
/// credential. Caches of "is this token still good" remember the value they were filled at and
/// are stale the moment it moves, so revocation stays effective on the very next request
/// (PROMISES S6, docs/adr/0018). The commands are recognised by their SQL rather than by entity
/// changes because the bulk updates (<c>ExecuteUpdate</c>, OpenIddict's revocation) never pass
/// through the change tracker.
/// </summary>
public static class RevocationSignal
{
    private static long _generation;

    /// <summary>The current value; read it before the database lookup whose answer is cached.</summary>
    public static long Generation => Interlocked.Read(ref _generation);

    /// <summary>Makes every cached answer stale.</summary>
    public static void Raise() => Interlocked.Increment(ref _generation);

    /// <summary>The interceptors every <see cref="PaygoDbContext"/> carries.</summary>
    internal static IInterceptor[] Interceptors { get; } = [new CommandWatcher(), new CommitWatcher()];

    /// <summary>Whether <paramref name="options"/> already carry the watchers.</summary>
    internal static bool IsWatching(Microsoft.EntityFrameworkCore.DbContextOptions options) =>
        options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.Interceptors?.Contains(Interceptors[0]) == true;

    // The tables whose rows decide whether a token or session stands. One SearchValues set finds
    // any of them in a single vectorised pass over the command text: the watcher sees every write
    // command, bulk inserts of price rows (megabytes of SQL) included, so it must cost next to
    // nothing where nothing matches (the previous eight Contains scans did eight passes).
    private static readonly SearchValues<string> Writes = SearchValues.Create(
    [
        "UPDATE \"Users\"", "DELETE FROM \"Users\"",
        "UPDATE \"OpenIddictTokens\"", "DELETE FROM \"OpenIddictTokens\"",
        "UPDATE \"OpenIddictAuthorizations\"", "DELETE FROM \"OpenIddictAuthorizations\"",
        "UPDATE \"OpenIddictApplications\"", "DELETE FROM \"OpenIddictApplications\"",
    ], StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="commandText"/> writes a row that can revoke a token or session.</summary>
    public static bool CanRevoke(string commandText)
    {
        ArgumentNullException.ThrowIfNull(commandText);
        var text = commandText.AsSpan().TrimStart();

        // Reads (queries, and the revocation checks themselves) are the most frequent commands.
        return !text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && text.ContainsAny(Writes);
    }

    // Writes inside a transaction become visible at commit: a reader that filled a cache between
    // the write and the commit saw the old row, so the counter moves again at commit.
    private static readonly ConditionalWeakTable<DbTransaction, object> Pending = [];

    private static void Observe(DbCommand command)
    {
        if (!CanRevoke(command.CommandText))
        {
            return;
        }

        Raise();
        if (command.Transaction is { } transaction)
        {
            Pending.AddOrUpdate(transaction, Pending);
        }
    }

    private static void Committed(DbTransaction transaction)
    {
        if (Pending.Remove(transaction))
        {
            Raise();
        }
    }

    private sealed class CommandWatcher : DbCommandInterceptor
    {
        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            Observe(command);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Observe(command);
            return ValueTask.FromResult(result);
        }

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            Observe(command);
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Observe(command);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class CommitWatcher : DbTransactionInterceptor
    {
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Committed(transaction);
            return Task.CompletedTask;
        }
    }
}
