namespace Mep.Contracts.Schools;

/// <summary>
/// The schools of the demo city that <c>./mep up</c> seeds in Schools: numbered consecutively from <see cref="FirstNumber"/>.
/// Assets and Funding seed their demo data for these schools and wait for them, not for every school they know: users add
/// schools of their own to a running platform, and another <c>./mep up</c> must not wait for those (or count them as the city's).
/// Schools finds its demo schools by number too, so a planner's renaming does not lose them.
/// </summary>
public static class DemoCitySchools
{
    public const int Count = 99;
    public const int FirstNumber = 90_001;

    /// <summary>How many of them are the pilots (2016-2018) that the demo rollout accepts into regular operation (measure 1).</summary>
    public const int Pilots = 6;

    /// <summary>The day the demo rollout accepts the pilots; Assets gives the schools at MEP standard since this day a pilot's inventory.</summary>
    public static readonly DateOnly PilotsAcceptedOn = new(2020, 8, 1);

    /// <summary>The numbers of all demo schools, first to last.</summary>
    public static IReadOnlyList<string> Numbers { get; } =
        [.. Enumerable.Range(FirstNumber, Count).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
