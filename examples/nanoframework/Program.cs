// TinyLoc on .NET nanoFramework: beacon readings in, the room out.
//
// Models/KolakowskiMamba.cs and Models/TinyLoc.Runtime/*.cs are generated, not committed: see README.md.
// C# 7.3, arrays and primitives only (no generics, no LINQ, no boxing, no double), like the generated code.

using System.Diagnostics;
using System.Threading;
using TinyLoc.Models;
using TinyLoc.Runtime;

namespace TinyLoc.Example.NanoFramework
{
    public static class Program
    {
        // The six anchors of the Kolakowski flat, as the model's manifest names them (input.features).
        private static readonly string[] Anchors = new string[]
        {
            "rssi_1", "rssi_2", "rssi_3", "rssi_4", "rssi_5", "rssi_6",
        };

        // One localizer for the app: it allocates its buffers once, here, and nothing per reading.
        private static readonly Localizer Localizer = KolakowskiMamba.CreateLocalizer();

        public static void Main()
        {
            Debug.WriteLine("TinyLoc: KolakowskiMamba, model " + KolakowskiMamba.Hash + ", RAM " + KolakowskiMamba.RamBytes.ToString() + " B (estimate)");

            ReplayDemo();

            Debug.WriteLine("TinyLoc: demo done (" + Localizer.Stats.Windows.ToString() + " windows); wire OnReading to your BLE scanner.");
            Thread.Sleep(Timeout.Infinite);
        }

        // ---------------------------------------------------------------------------------------------
        // Wire this to your BLE scanner.
        //
        // Scanning is device-specific on nanoFramework (e.g. nanoFramework.Device.Bluetooth's
        // BluetoothLEAdvertisementWatcher on ESP32): in its Received handler, map the advertiser to the
        // anchor id the model knows ("rssi_1" .. "rssi_6", see Anchors) and call
        //     OnReading(anchorId, rssi, (uint)(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond));
        // Any millisecond clock works (any origin; it may wrap). Readings of unknown ids are counted in
        // Localizer.Stats.UnknownIds and otherwise ignored.
        // ---------------------------------------------------------------------------------------------

        /// <summary>One beacon reading: <paramref name="rssi"/> dBm from <paramref name="beaconId"/> at <paramref name="timeMs"/>.</summary>
        public static void OnReading(string beaconId, float rssi, uint timeMs)
        {
            Localizer.Push(beaconId, rssi, timeMs);
            if (Localizer.Poll(timeMs))
            {
                OnAnswer(Localizer.Answer);
            }
        }

        /// <summary>Call from a timer too (say every second): closes rows when no reading comes, so the last window is answered.</summary>
        public static void OnTick(uint timeMs)
        {
            if (Localizer.Poll(timeMs))
            {
                OnAnswer(Localizer.Answer);
            }
        }

        /// <summary>A new answer: one per window (every 10 rows of 333 ms once the first 20 rows are in).</summary>
        private static void OnAnswer(Answer answer)
        {
            if (answer.Label < 0)
            {
                return;
            }

            Debug.WriteLine("t=" + answer.TimeMs.ToString() + " ms: " + KolakowskiMamba.Labels[answer.Label]);
        }

        // A made-up demo so the app runs without a scanner: NOT recorded data. Every 333 ms a "scan" reports
        // all six anchors (10 ms apart); the strongest anchor moves from 1 to 6 over 90 scans (30 s), the
        // others fall off by 6 dB per anchor of distance, with a fixed +-2 dB wobble. It only shows the
        // plumbing; whatever room the model names for it says nothing about its accuracy.
        private static void ReplayDemo()
        {
            const int Scans = 90;
            const uint ScanMs = 333;
            for (int scan = 0; scan < Scans; scan++)
            {
                int nearest = scan * Anchors.Length / Scans; // 0 .. 5
                for (int a = 0; a < Anchors.Length; a++)
                {
                    int distance = a > nearest ? a - nearest : nearest - a;
                    int wobble = ((scan * 7 + a * 3) % 5) - 2;
                    float rssi = -50.0f - 6.0f * distance + wobble;
                    OnReading(Anchors[a], rssi, (uint)scan * ScanMs + (uint)a * 10u);
                }
            }

            OnTick((uint)Scans * ScanMs); // the scanner falls silent: the last row closes
        }
    }
}
