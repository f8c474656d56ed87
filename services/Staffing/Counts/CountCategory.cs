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

    /// <summary>Devices in use count (<see cref="DevicesInUse"/>, as in Assets' counts), as the text the replica stores.</summary>
    public static readonly string[] InUseStatuses = [.. DevicesInUse.StatusNames];
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

    public static DeviceCounts From(IReadOnlyDictionary<CountCategory, int> counts)
    {
        int Of(CountCategory c) => counts.TryGetValue(c, out var n) ? n : 0;
        return new(Of(CountCategory.PupilTablets), Of(CountCategory.TeacherTablets), Of(CountCategory.LoanTablets), Of(CountCategory.ClassSetTablets),
            Of(CountCategory.ComputerRoomDevices), Of(CountCategory.BoardSystems), Of(CountCategory.BoardSystemComponents), Of(CountCategory.NetworkDevices));
    }
}
