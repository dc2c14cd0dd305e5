using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>Counts the database commands EF Core sends to one test database (any context, any thread).</summary>
internal sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Func<DbConnection, bool> _isOurs;
    private readonly ConcurrentBag<IDisposable> _subscriptions = [];
    private int _count;

    public CommandCounter(TestDatabase database)
    {
        if (database.Engine == Engines.Sqlite)
        {
            _isOurs = c => c.DataSource.StartsWith(database.DataDirectory, StringComparison.Ordinal);
        }
        else
        {
            var name = new NpgsqlConnectionStringBuilder(database.Storage.ConnectionString).Database;
            _isOurs = c => c.Database == name;
        }

        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public int Count => Volatile.Read(ref _count);

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            _subscriptions.Add(value.Subscribe(this, name => name == RelationalEventId.CommandExecuting.Name));
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is CommandEventData { Command.Connection: { } connection } && _isOurs(connection))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }
}
