namespace Mep.TestKit;

/// <summary>Asynchronous outcomes (a message consumed, a relay caught up) are awaited, not slept for.</summary>
public static class Eventually
{
    public static async Task AssertAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Not reached within {(within ?? TimeSpan.FromSeconds(20)).TotalSeconds} s: {what}");
            }

            // The poll interval: the one wait of the test kit, short enough that a test ends soon after its outcome.
            await Task.Delay(50);
        }
    }
}
