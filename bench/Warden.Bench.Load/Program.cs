using System.Diagnostics;
using System.Globalization;
using System.Text;

// Open-loop, fixed-rate load generator for `warden serve`: requests are sent on a schedule (not when the previous one
// returns), so a slow server shows up as latency instead of silently lowering the rate (coordinated omission).
// Usage: dotnet run -c Release --project bench/Warden.Bench.Load -- URL RATE SECONDS [BODY]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Warden.Bench.Load URL RATE_PER_SECOND SECONDS [JSON_BODY]");
    return 1;
}
var url = args[0];
var rate = double.Parse(args[1], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
var body = args.Length > 3 ? args[3] : "{\"input\": \"you are such an idiot, nobody wants you here\"}";

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    Timeout = TimeSpan.FromSeconds(10),
};
var total = (int)(rate * seconds);
var latencies = new double[total];
var failures = 0;
var tasks = new Task[total];
var clock = Stopwatch.StartNew();

async Task Send(int index, TimeSpan scheduled)
{
    try
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(url, content).ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
    }
    catch
    {
        Interlocked.Increment(ref failures);
    }
    // Latency from the scheduled send time, so queueing in the generator or the server counts.
    latencies[index] = (clock.Elapsed - scheduled).TotalMilliseconds;
}

// The schedule runs on its own thread and yields for the last two milliseconds, so requests leave on time instead of
// in bursts at timer ticks.
var scheduler = new Thread(() =>
{
    for (var i = 0; i < total; i++)
    {
        var due = TimeSpan.FromSeconds(i / rate);
        while (true)
        {
            var wait = due - clock.Elapsed;
            if (wait <= TimeSpan.Zero) break;
            if (wait > TimeSpan.FromMilliseconds(2)) Thread.Sleep(1); else Thread.Yield();
        }
        tasks[i] = Send(i, due);
    }
}) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
scheduler.Start();
scheduler.Join();
await Task.WhenAll(tasks);
var elapsed = clock.Elapsed.TotalSeconds;
Array.Sort(latencies);
double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {rate:N0} | {seconds:0} | {total / elapsed:N0} | {P(0.5):0.00} | {P(0.9):0.00} | {P(0.99):0.00} | {P(0.999):0.00} | {failures} |"));
return failures == 0 ? 0 : 3;
