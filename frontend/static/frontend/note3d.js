// The note's buildable envelope in 3D (plans/note/envelope.py): the glTF drawn by the server, over the parcel
// and its neighbours. Lambert metres from the origin in the files; glTF is y-up (x east, z south).
import * as THREE from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";

const holder = document.getElementById("scene3d");
const data = JSON.parse(document.getElementById("scene-data").textContent);
const renderer = new THREE.WebGLRenderer({ antialias: true });
renderer.setPixelRatio(window.devicePixelRatio || 1);
renderer.setSize(holder.clientWidth, holder.clientHeight);
holder.appendChild(renderer.domElement);

const scene = new THREE.Scene();
scene.background = new THREE.Color(0xf4f4f0);
scene.add(new THREE.HemisphereLight(0xffffff, 0x777766, 2.5));
const sun = new THREE.DirectionalLight(0xffffff, 1.5);
sun.position.set(-60, 120, 80);
scene.add(sun);
const camera = new THREE.PerspectiveCamera(45, holder.clientWidth / holder.clientHeight, 0.5, 5000);
const controls = new OrbitControls(camera, renderer.domElement);

const neighbourMaterial = new THREE.LineBasicMaterial({ color: 0x555555 });
for (const ring of data.neighbours) {
  const points = ring.map(([x, y]) => new THREE.Vector3(x, 0.02, -y));
  scene.add(new THREE.Line(new THREE.BufferGeometry().setFromPoints(points), neighbourMaterial));
}

function draw() {
  controls.update();
  renderer.render(scene, camera);
}

new GLTFLoader().load(data.glb, (gltf) => {
  scene.add(gltf.scene);
  const box = new THREE.Box3().setFromObject(gltf.scene);
  const centre = box.getCenter(new THREE.Vector3());
  const size = Math.max(box.getSize(new THREE.Vector3()).length(), 20);
  camera.position.set(centre.x - size, centre.y + size, centre.z + size * 1.2);
  controls.target.copy(centre);
  let meshes = 0;
  gltf.scene.traverse((node) => { if (node.isMesh) meshes += 1; });
  holder.dataset.meshes = String(meshes);
  holder.dataset.height = String(Math.round((box.max.y - box.min.y) * 100) / 100);
  holder.dataset.state = "ready";
  renderer.setAnimationLoop(draw);
  document.body.dataset.ready = "1";
}, undefined, (error) => {
  holder.dataset.state = "error";
  document.body.dataset.ready = "1";
  holder.textContent = "Le modèle 3D n'a pas pu être chargé / تعذر تحميل النموذج: " + error;
});
