// Would classify one scan, if the model fitted the 2 KiB RAM budget set in the project file.
using TinyLoc.Models;

var scan = new float[UjiMlp.InputCount];
Array.Fill(scan, 100f); // 100 = no access point heard
Console.WriteLine(UjiMlp.Labels[UjiMlp.Classify(scan)]);
