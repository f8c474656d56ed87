using System.Text.RegularExpressions;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Validation;

namespace Mep.Staffing.Counts;

/// <summary>
/// What staffing models count devices by. Finer than any one model needs: the Hannover model adds pupil, teacher and loan tablets
/// into one group and class sets to board systems, ifib counts every device, Bremen only tablets; a custom model weighs each.
/// </summary>
public enum CountCategory
{
    /// <summary>Parent-financed pupil tablets.</summary>
    PupilTablets,
    TeacherTablets,
    LoanTablets,

    /// <summary>School-owned class sets (never personalised).</summary>
    ClassSetTablets,
    ComputerRoomDevices,

    /// <summary>Interactive board systems that are set up, whatever their components (the council paper counts one as three devices).</summary>
    BoardSystems,

    /// <summary>The devices board systems are made of; the council paper counts the system, not these.</summary>
    BoardSystemComponents,
    NetworkDevices,
}

public static class CountCategories
{
    public static readonly IReadOnlyList<CountCategory> All = Enum.GetValues<CountCategory>();

    /// <summary>Where a device counts, from what Assets says it is; a board system is counted on its own, not from a device.</summary>
    public static CountCategory Of(DeviceKind kind, TabletOwnership? ownership) => kind switch
    {
        DeviceKind.Tablet => ownership switch
        {
            TabletOwnership.ParentFinancedPupil => CountCategory.PupilTablets,
            TabletOwnership.Teacher => CountCategory.TeacherTablets,
            TabletOwnership.Loan => CountCategory.LoanTablets,
            TabletOwnership.SchoolClassSet => CountCategory.ClassSetTablets,
            // Assets refuses a tablet without an ownership; a future ownership counts with the pupils' until a model says otherwise.
            _ => CountCategory.PupilTablets,
        },
        DeviceKind.ComputerRoomDevice => CountCategory.ComputerRoomDevices,
        DeviceKind.BoardSystemComponent => CountCategory.BoardSystemComponents,
        _ => CountCategory.NetworkDevices,
    };

    /// <summary>The categories that are devices: a board system is counted on its own, its components are the devices.</summary>
    public static readonly IReadOnlyList<CountCategory> Devices = [.. All.Where(category => category != CountCategory.BoardSystems)];

    /// <summary>Devices in use count (<see cref="DevicesInUse"/>, as in Assets' counts), as the text the replica stores.</summary>
    public static readonly string[] InUseStatuses = [.. DevicesInUse.StatusNames];

    /// <summary>How many devices the counts hold (<see cref="Devices"/>).</summary>
    public static int DevicesIn(DeviceCounts counts) => Devices.Sum(category => counts[category]);
}

/// <summary>
/// The tables' count columns (school_counts, count_snapshots): one per category, named after it in snake_case. SQL that reads or
/// writes counts is written from these, in the order of the categories, so no statement lists the categories on its own.
/// </summary>
public static partial class CountColumns
{
    public static string Of(CountCategory category) => WordStart().Replace(category.ToString(), "_$1").ToLowerInvariant();

    /// <summary>Every category's column, or <paramref name="categories"/>' only, made into SQL by <paramref name="sql"/> and joined.</summary>
    public static string Each(Func<CountCategory, string, string> sql, IEnumerable<CountCategory>? categories = null, string separator = ", ") =>
        string.Join(separator, (categories ?? CountCategories.All).Select(category => sql(category, Of(category))));

    /// <summary>The column names, comma separated.</summary>
    public static string List => Each((_, column) => column);

    /// <summary>
    /// One value per category as an int[] in category order (<paramref name="value"/> makes it from the column), for
    /// <see cref="DeviceCounts.InCategoryOrder"/>.
    /// </summary>
    public static string Array(Func<string, string> value) => $"ARRAY[{Each((_, column) => value(column))}]";

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordStart();
}

/// <summary>A school's devices in use per category; the input of every staffing model.</summary>
public sealed record DeviceCounts(
    int PupilTablets, int TeacherTablets, int LoanTablets, int ClassSetTablets, int ComputerRoomDevices, int BoardSystems,
    int BoardSystemComponents, int NetworkDevices) : IRequestPart
{
    public static readonly DeviceCounts None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public int this[CountCategory category] => category switch
    {
        CountCategory.PupilTablets => PupilTablets,
        CountCategory.TeacherTablets => TeacherTablets,
        CountCategory.LoanTablets => LoanTablets,
        CountCategory.ClassSetTablets => ClassSetTablets,
        CountCategory.ComputerRoomDevices => ComputerRoomDevices,
        CountCategory.BoardSystems => BoardSystems,
        CountCategory.BoardSystemComponents => BoardSystemComponents,
        CountCategory.NetworkDevices => NetworkDevices,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    public static DeviceCounts operator +(DeviceCounts a, DeviceCounts b) => new(
        a.PupilTablets + b.PupilTablets, a.TeacherTablets + b.TeacherTablets, a.LoanTablets + b.LoanTablets, a.ClassSetTablets + b.ClassSetTablets,
        a.ComputerRoomDevices + b.ComputerRoomDevices, a.BoardSystems + b.BoardSystems, a.BoardSystemComponents + b.BoardSystemComponents,
        a.NetworkDevices + b.NetworkDevices);

    /// <summary>The counts read as <see cref="CountColumns.Array"/> wrote them: one per category, in category order.</summary>
    public static DeviceCounts InCategoryOrder(IReadOnlyList<int> counts)
    {
        int Of(CountCategory category) => counts[(int)category];
        return new(Of(CountCategory.PupilTablets), Of(CountCategory.TeacherTablets), Of(CountCategory.LoanTablets), Of(CountCategory.ClassSetTablets),
            Of(CountCategory.ComputerRoomDevices), Of(CountCategory.BoardSystems), Of(CountCategory.BoardSystemComponents), Of(CountCategory.NetworkDevices));
    }
}
