namespace Warden.Cli;

/// <summary>A user mistake (bad usage or bad input): exit code 1 with a one-line reason.</summary>
public sealed class UsageException(string message) : Exception(message);

internal static class ExitCodes
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int InternalError = 2;

    /// <summary>Runs a command body, mapping exceptions onto the documented exit codes.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is UsageException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException)
        {
            Console.Error.WriteLine($"warden: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("warden: cancelled");
            return InternalError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"warden: internal error: {e}");
            return InternalError;
        }
    }
}
