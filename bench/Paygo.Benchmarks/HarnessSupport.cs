namespace Paygo.Benchmarks;

/// <summary>What the end-to-end harnesses share: their command-line options and throw-away PostgreSQL databases.</summary>
internal static class HarnessSupport
{
    /// <summary>The value after <paramref name="name"/> on the command line, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>The same server and credentials, another database.</summary>
    public static string WithDatabase(string connectionString, string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ToString();

    /// <summary>Drops a harness's database, closing whatever still holds it.</summary>
    public static async Task DropAsync(string connectionString, string database)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Runs one measurement on SQLite, then on a throw-away PostgreSQL database when
    /// <paramref name="postgres"/> is given (dropped afterwards, even when the run fails).
    /// </summary>
    public static async Task<List<T>> OnEachEngineAsync<T>(string? postgres, Func<string, string?, Task<T>> measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var results = new List<T> { await measure("sqlite", null) };
        if (string.IsNullOrWhiteSpace(postgres))
        {
            Console.WriteLine("PostgreSQL: skipped (give --postgres or PAYGO_TEST_POSTGRES)");
            return results;
        }

        var database = $"paygo_bench_{Guid.NewGuid():N}";
        try
        {
            results.Add(await measure("postgres", WithDatabase(postgres, database)));
        }
        finally
        {
            await DropAsync(postgres, database);
        }

        return results;
    }
}
