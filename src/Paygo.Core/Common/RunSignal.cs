using System.Threading.Channels;

namespace Paygo.Core.Common;

/// <summary>
/// Wakes a background worker when a stored run (a month close, an export) is waiting. Only a
/// nudge: the run itself is in the database, and the worker also looks for unfinished runs at
/// start-up, so a lost signal delays a run until the next start but never loses it. One subclass
/// per kind of run, so each worker is given its own.
/// </summary>
public abstract class RunSignal
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>();

    public void Post(Guid runId) => _channel.Writer.TryWrite(runId);

    public ChannelReader<Guid> Reader => _channel.Reader;
}
