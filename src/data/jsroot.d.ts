// jsroot ships types only for its main entry; these are the few pieces of its I/O module we use.
declare module "jsroot/io" {
  export interface JsrootFile {
    fEND: number;
    fd?: number;
    readObject(name: string): Promise<any>;
    readBuffer(place: number[]): Promise<DataView | DataView[]>;
  }
  export function openFile(path: string): Promise<JsrootFile>;
  export function R__unzip(arr: DataView, tgtsize: number, noalert?: boolean, srcShift?: number): Promise<DataView | null>;
  export class TBuffer {
    constructor(arr: DataView, pos?: number, file?: unknown, length?: number);
    o: number;
    classStreamer(obj: object, cl: string): any;
  }
  export const clTBasket: string;
}
