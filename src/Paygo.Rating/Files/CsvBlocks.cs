using System.Collections.Concurrent;

namespace Paygo.Rating.Files;

/// <summary>
/// A run of whole CSV rows cut from a UTF-8 file, with room for what a worker makes of it.
/// Blocks are reused: <see cref="CsvBlocks.Run{TState}"/> hands each back once it is delivered.
/// </summary>
public sealed class CsvBlock
{
    internal CsvBlock(int capacity) => Buffer = new byte[capacity];

    /// <summary>The rows' bytes, <c>[0, Length)</c>; every row ends inside the block.</summary>
    public byte[] Buffer { get; internal set; }

    public int Length { get; internal set; }

    /// <summary>The block's place in the file, from 0; the same file cut twice gives the same blocks.</summary>
    public int Index { get; internal set; }

    /// <summary>How far into the file the block ends, for progress.</summary>
    public long EndPosition { get; internal set; }

    /// <summary>What the worker made of the block, read by the delivering thread in file order.</summary>
    public object? Result { get; set; }

    /// <summary>The worker's buffers for this block, kept when the block is reused so a run allocates them once per block in flight; disposed at the end of the run.</summary>
    public object? Scratch { get; set; }

    internal ManualResetEventSlim Done { get; } = new(false);

    internal Exception? Error { get; set; }

    /// <summary>The block's rows as a stream (no copy).</summary>
    public MemoryStream Open() => new(Buffer, 0, Length, writable: false);
}

/// <summary>
/// Cuts a UTF-8 CSV file into blocks of whole rows and runs them through workers on every core,
/// delivering the results in file order on the calling thread (the rating passes, ADR 0046).
/// A block ends after a line feed outside quotes: a field's quotes come in pairs (an escaped
/// quote is two), so a line feed with an even number of quotes before it in the file ends a row,
/// the same rule the CSV parser applies. A row longer than a block grows the block.
/// </summary>
public static class CsvBlocks
{
    /// <summary>Bytes per block: large enough that the per-block parser setup is noise, small enough that the blocks in flight stay a few tens of MB.</summary>
    public const int DefaultBlockBytes = 4 << 20;

    /// <summary>
    /// Reads <paramref name="input"/> from its position, cuts it into blocks of about
    /// <paramref name="blockBytes"/>, calls <paramref name="process"/> on <paramref name="workers"/>
    /// threads (each with its own state from <paramref name="createState"/>), and
    /// <paramref name="deliver"/> on the calling thread for each block in file order. The first
    /// exception of any of them stops the run and is rethrown. Returns the workers' states.
    /// </summary>
    public static IReadOnlyList<TState> Run<TState>(
        Stream input,
        int workers,
        int blockBytes,
        Func<int, TState> createState,
        Action<CsvBlock, TState> process,
        Action<CsvBlock> deliver,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(createState);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(deliver);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 16);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        // Two blocks per worker in flight, plus one being read and one being delivered.
        var free = new BlockingCollection<CsvBlock>();
        var blocks = new CsvBlock[(2 * workers) + 2];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new CsvBlock(blockBytes);
            free.Add(blocks[i], CancellationToken.None);
        }

        using var todo = new BlockingCollection<CsvBlock>();
        using var inOrder = new BlockingCollection<CsvBlock>();
        var states = new TState[workers];
        for (var w = 0; w < workers; w++)
        {
            states[w] = createState(w);
        }

        Exception? failure = null;
        void Fail(Exception exception)
        {
            Interlocked.CompareExchange(ref failure, exception, null);
            stop.Cancel();
        }

        var reader = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    var cutter = new BlockCutter(input, blockBytes);
                    for (var index = 0; ; index++)
                    {
                        var block = free.Take(token);
                        if (!cutter.Next(block, token))
                        {
                            break;
                        }

                        block.Index = index;
                        inOrder.Add(block, token);
                        todo.Add(block, token);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                }
                catch (Exception exception)
                {
                    Fail(exception);
                }
                finally
                {
                    todo.CompleteAdding();
                    inOrder.CompleteAdding();
                }
            },
            token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var threads = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            var state = states[w];
            threads[w] = Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        foreach (var block in todo.GetConsumingEnumerable(token))
                        {
                            try
                            {
                                process(block, state);
                            }
                            catch (Exception exception)
                            {
                                block.Error = exception;
                                Fail(exception);
                            }
                            finally
                            {
                                block.Done.Set();
                            }
                        }
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested)
                    {
                    }
                },
                token,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        try
        {
            foreach (var block in inOrder.GetConsumingEnumerable(token))
            {
                block.Done.Wait(token);
                if (block.Error is not null)
                {
                    break;
                }

                deliver(block);
                block.Result = null;
                block.Done.Reset();
                free.Add(block, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
        finally
        {
            stop.Cancel();
            try
            {
                Task.WaitAll([reader, .. threads]);
            }
            catch (AggregateException)
            {
                // Cancelled tasks; the failure that cancelled them is kept in `failure`.
            }

            free.Dispose();
            foreach (var block in blocks)
            {
                (block.Scratch as IDisposable)?.Dispose();
                block.Done.Dispose();
            }
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return states;
    }

    /// <summary>
    /// Reads the first row (the header) whole, from the stream's position: its bytes, without a
    /// UTF-8 byte order mark, and the stream left just after it. Null when the stream is empty.
    /// </summary>
    public static byte[]? ReadFirstRow(Stream input, int blockBytes = DefaultBlockBytes)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = input.Position;
        var block = new CsvBlock(Math.Max(16, Math.Min(blockBytes, 1 << 16)));
        var cutter = new BlockCutter(input, block.Buffer.Length, firstRowOnly: true);
        if (!cutter.Next(block, CancellationToken.None))
        {
            return null;
        }

        input.Position = start + block.Length;
        var bytes = block.Buffer.AsSpan(0, block.Length);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        return bytes.ToArray();
    }

    /// <summary>True when the stream starts with a UTF-16 or UTF-32 byte order mark: not UTF-8, so not cut into byte blocks.</summary>
    public static bool StartsWithNonUtf8Mark(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = input.Position;
        Span<byte> head = stackalloc byte[2];
        var read = input.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        input.Position = start;
        return read == 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
    }

    private sealed class BlockCutter(Stream input, int blockBytes, bool firstRowOnly = false)
    {
        private byte[] _carry = new byte[blockBytes];
        private int _carryLength;
        private bool _ended;
        private long _position = input.Position;

        // Fills the block with whole rows: the carry left from the last cut, then the stream.
        public bool Next(CsvBlock block, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            if (_ended && _carryLength == 0)
            {
                return false;
            }

            var buffer = block.Buffer;
            if (buffer.Length < Math.Max(blockBytes, _carryLength))
            {
                buffer = new byte[Math.Max(blockBytes, _carryLength)];
            }

            _carry.AsSpan(0, _carryLength).CopyTo(buffer);
            var filled = _carryLength;
            while (true)
            {
                if (!_ended && filled < buffer.Length)
                {
                    var read = input.ReadAtLeast(buffer.AsSpan(filled), buffer.Length - filled, throwOnEndOfStream: false);
                    filled += read;
                    _ended = filled < buffer.Length;
                }

                var cut = LastRowEnd(buffer.AsSpan(0, filled), firstRowOnly);
                if (cut < 0 && _ended)
                {
                    cut = filled;
                }

                if (cut > 0)
                {
                    _carryLength = filled - cut;
                    if (_carry.Length < _carryLength)
                    {
                        _carry = new byte[Math.Max(_carryLength, blockBytes)];
                    }

                    buffer.AsSpan(cut, _carryLength).CopyTo(_carry);
                    block.Buffer = buffer;
                    block.Length = cut;
                    _position += cut;
                    block.EndPosition = _position;
                    return true;
                }

                if (filled == 0)
                {
                    _carryLength = 0;
                    return false;
                }

                // One row longer than the block: grow it and read on.
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        // After the last line feed outside quotes in data (the first one, for the header), or -1.
        // The block starts outside quotes, so a line feed is outside them when the quotes before it
        // are even in number: one vectorised count per block rather than a look at every quote.
        private static int LastRowEnd(ReadOnlySpan<byte> data, bool first)
        {
            if (first)
            {
                var quoted = false;
                for (var i = 0; i < data.Length; i++)
                {
                    if (data[i] == '"')
                    {
                        quoted = !quoted;
                    }
                    else if (data[i] == '\n' && !quoted)
                    {
                        return i + 1;
                    }
                }

                return -1;
            }

            var quotes = data.Count((byte)'"');
            var end = data.Length;
            while (true)
            {
                var lineFeed = data[..end].LastIndexOf((byte)'\n');
                if (lineFeed < 0)
                {
                    return -1;
                }

                quotes -= data[(lineFeed + 1)..end].Count((byte)'"');
                if ((quotes & 1) == 0)
                {
                    return lineFeed + 1;
                }

                end = lineFeed;
            }
        }
    }
}
