using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Paygo.Cli.Database;
using Paygo.Cli.Hosting;
using Paygo.Core;
using Paygo.Core.Audit;

namespace Paygo.Cli.Audit;

/// <summary><c>paygo audit verify</c>: walks the audit hash chain in the database and reports the first broken link.</summary>
internal static class AuditCommands
{
    public static Command Create(CliEnvironment environment)
    {
        var audit = new Command("audit", "The tamper-evident audit trail.");
        var local = new LocalDatabase();
        var verify = new Command("verify", "Checks every audit record against the hash chain; exits 1 at the first edited, inserted or deleted record.");
        local.AddTo(verify);
        verify.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            var storage = local.Resolve(parsed, environment);
            await using var db = CoreServices.CreateContext(storage);
            AuditBreak? broken;
            int count;
            try
            {
                count = await db.AuditRecords.CountAsync(cancellationToken);
                broken = await AuditTrail.VerifyAsync(db, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not CliFailure)
            {
                throw new CliFailure($"Cannot read the audit trail of the {storage.Engine.Name} database at {storage.Description}: {e.GetBaseException().Message}");
            }

            if (broken is not null)
            {
                await environment.Error.WriteLineAsync($"The audit trail is broken at record {broken.Sequence}: {broken.Reason}.");
                return CliRun.Failed;
            }

            environment.Output.WriteLine($"The audit trail is intact: {count} record(s) verified.");
            return 0;
        }));
        audit.Subcommands.Add(verify);
        return audit;
    }
}
